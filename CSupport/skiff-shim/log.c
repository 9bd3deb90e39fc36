#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

void format_timestamp(char buffer[40]) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    size_t length = strftime(buffer, 40, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(buffer + length, 40 - length, ".%09ldZ", now.tv_nsec);
}

int log_open(struct log_writer *writer, const char *path, unsigned long long max_size, unsigned max_files) {
    memset(writer, 0, sizeof(*writer));
    writer->path = path;
    writer->max_size = max_size;
    writer->max_files = max_files ? max_files : 1;
    writer->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (writer->fd < 0) return -1;
    struct stat status;
    if (fstat(writer->fd, &status) == 0) writer->size = (unsigned long long)status.st_size;
    return 0;
}

// NAME.log.(n-1) → NAME.log.n, …, NAME.log → NAME.log.1; the oldest falls off.
static void rotate(struct log_writer *writer) {
    char from[4096], to[4096];
    if (writer->max_files <= 1) {
        if (ftruncate(writer->fd, 0) == 0) writer->size = 0;
        return;
    }
    for (unsigned n = writer->max_files - 1; n >= 1; n--) {
        snprintf(to, sizeof(to), "%s.%u", writer->path, n);
        if (n == 1) snprintf(from, sizeof(from), "%s", writer->path);
        else snprintf(from, sizeof(from), "%s.%u", writer->path, n - 1);
        rename(from, to);
    }
    int fresh = open(writer->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fresh < 0) return;   // keep writing into the renamed file rather than losing lines
    close(writer->fd);
    writer->fd = fresh;
    writer->size = 0;
}

static void write_line(struct log_writer *writer, enum log_stream stream, char tag, const char *bytes, size_t length) {
    char prefix[64];
    char timestamp[40];
    format_timestamp(timestamp);
    int prefix_length = snprintf(prefix, sizeof(prefix), "%s %s %c ", timestamp,
                                 stream == LOG_STDOUT ? "stdout" : "stderr", tag);
    struct iovec parts[3] = {
        { prefix, (size_t)prefix_length }, { (void *)bytes, length }, { "\n", 1 },
    };
    size_t total = (size_t)prefix_length + length + 1;
    if (writer->max_size && writer->size + total > writer->max_size && writer->size > 0) rotate(writer);
    ssize_t written;
    do written = writev(writer->fd, parts, 3); while (written < 0 && errno == EINTR);
    if (written > 0) writer->size += (unsigned long long)written;
}

void log_append(struct log_writer *writer, enum log_stream stream, const char *bytes, size_t length) {
    char *pending = writer->pending[stream];
    size_t *pending_length = &writer->pending_length[stream];
    while (length > 0) {
        const char *newline = memchr(bytes, '\n', length);
        size_t chunk = newline ? (size_t)(newline - bytes) : length;
        size_t room = sizeof(writer->pending[0]) - *pending_length;
        if (chunk >= room) {
            // The line outgrows the buffer: write what we have as a partial line.
            memcpy(pending + *pending_length, bytes, room);
            write_line(writer, stream, 'P', pending, sizeof(writer->pending[0]));
            *pending_length = 0;
            bytes += room;
            length -= room;
            continue;
        }
        memcpy(pending + *pending_length, bytes, chunk);
        *pending_length += chunk;
        if (!newline) return;
        write_line(writer, stream, 'F', pending, *pending_length);
        *pending_length = 0;
        bytes += chunk + 1;
        length -= chunk + 1;
    }
}

void log_finish(struct log_writer *writer, enum log_stream stream) {
    if (writer->pending_length[stream] == 0) return;
    write_line(writer, stream, 'F', writer->pending[stream], writer->pending_length[stream]);
    writer->pending_length[stream] = 0;
}
