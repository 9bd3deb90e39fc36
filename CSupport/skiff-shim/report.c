#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int child_error_fd = -1;

static void write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        length -= (size_t)n;
    }
}

void child_fail(int error_number, const char *stage, const char *format, ...) {
    struct child_error error = { .error_number = error_number };
    snprintf(error.stage, sizeof(error.stage), "%s", stage);
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(error.message, sizeof(error.message), format, arguments);
    va_end(arguments);
    if (child_error_fd >= 0) write_all(child_error_fd, (const char *)&error, sizeof(error));
    else fprintf(stderr, "skiff-shim: %s: %s\n", error.stage, error.message);
    _exit(127);
}

void report_started(int fd, int container_pid, int monitor_pid) {
    char line[64];
    int length = snprintf(line, sizeof(line), "ok %d %d\n", container_pid, monitor_pid);
    write_all(fd, line, (size_t)length);
}

void report_error(int fd, const struct child_error *error) {
    char line[600];
    // Newlines would split the line protocol; messages are single-line by construction,
    // but a path in one could hold a newline.
    char message[sizeof(error->message)];
    snprintf(message, sizeof(message), "%s", error->message);
    for (char *c = message; *c; c++) if (*c == '\n') *c = ' ';
    int length = snprintf(line, sizeof(line), "error %d %s %s\n", error->error_number, error->stage, message);
    if (length > (int)sizeof(line) - 1) length = (int)sizeof(line) - 1;
    write_all(fd, line, (size_t)length);
}
