#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int attach_listen(const char *path) {
    // sun_path holds 108 bytes; a container directory can be deeper. Bind relative to it.
    char directory[4096], name[256];
    snprintf(directory, sizeof(directory), "%s", path);
    snprintf(name, sizeof(name), "%s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    char *slash = strrchr(directory, '/');
    if (slash) *slash = '\0';
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    snprintf(address.sun_path, sizeof(address.sun_path), "%s", name);
    int saved_cwd = open(".", O_PATH | O_CLOEXEC);
    bool bound = slash && chdir(directory) == 0;
    if (bound) {
        unlink(name);
        bound = bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0 && chmod(name, 0600) == 0;
    }
    if (saved_cwd >= 0) { if (fchdir(saved_cwd)) { /* the monitor chdirs to / later anyway */ } close(saved_cwd); }
    if (!bound || listen(fd, ATTACH_MAX_CLIENTS)) { close(fd); return -1; }
    return fd;
}

size_t attach_poll_fds(const struct attach_hub *hub, struct pollfd *fds) {
    if (hub->listen_fd < 0) return 0;
    size_t count = 0;
    fds[count++] = (struct pollfd){ hub->listen_fd, POLLIN, 0 };
    for (size_t i = 0; i < hub->nclients; i++) fds[count++] = (struct pollfd){ hub->clients[i].fd, POLLIN, 0 };
    return count;
}

static void close_stdin(struct attach_hub *hub) {
    if (hub->stdin_fd >= 0 && hub->stdin_fd != hub->terminal_fd) close(hub->stdin_fd);
    hub->stdin_fd = -1;
}

static void drop_client(struct attach_hub *hub, size_t index) {
    close(hub->clients[index].fd);
    hub->clients[index] = hub->clients[--hub->nclients];
    if (hub->stdin_once) close_stdin(hub);
}

static void write_all(int fd, const unsigned char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        length -= (size_t)n;
    }
}

static void resize_terminal(struct attach_hub *hub, const unsigned char size[4]) {
    if (hub->terminal_fd < 0) return;
    struct winsize window = { .ws_row = (unsigned short)(size[0] << 8 | size[1]),
                              .ws_col = (unsigned short)(size[2] << 8 | size[3]) };
    ioctl(hub->terminal_fd, TIOCSWINSZ, &window);
}

// Consumes what a client sent; returns false when it has gone.
static bool read_client(struct attach_hub *hub, struct attach_client *client) {
    unsigned char buffer[8192];
    ssize_t n = read(client->fd, buffer, sizeof(buffer));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    for (size_t at = 0; at < (size_t)n;) {
        if (client->payload_left == 0 && client->header_length < 5) {
            client->header[client->header_length++] = buffer[at++];
            if (client->header_length < 5) continue;
            client->type = client->header[0];
            client->payload_left = (size_t)client->header[1] << 24 | (size_t)client->header[2] << 16
                | (size_t)client->header[3] << 8 | client->header[4];
            client->header_length = client->payload_left == 0 ? 0 : 5;
            client->resize_length = 0;
            if (client->type == ATTACH_CLOSE_STDIN) close_stdin(hub);
            continue;
        }
        size_t take = (size_t)n - at < client->payload_left ? (size_t)n - at : client->payload_left;
        if (client->type == ATTACH_STDIN && hub->stdin_fd >= 0) write_all(hub->stdin_fd, buffer + at, take);
        if (client->type == ATTACH_RESIZE)
            for (size_t i = 0; i < take && client->resize_length < 4; i++) client->resize[client->resize_length++] = buffer[at + i];
        at += take;
        client->payload_left -= take;
        if (client->payload_left == 0) {
            if (client->type == ATTACH_RESIZE && client->resize_length == 4) resize_terminal(hub, client->resize);
            client->header_length = 0;
        }
    }
    return true;
}

void attach_handle(struct attach_hub *hub, const struct pollfd *fds, size_t count) {
    if (count == 0) return;
    // Clients first (indices match the order attach_poll_fds used), newest last.
    for (size_t i = count - 1; i >= 1; i--) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        size_t index = i - 1;
        if (index < hub->nclients && !read_client(hub, &hub->clients[index])) drop_client(hub, index);
    }
    if (fds[0].revents & POLLIN) {
        int client;
        while ((client = accept4(hub->listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
            if (hub->nclients == ATTACH_MAX_CLIENTS) { close(client); continue; }
            hub->clients[hub->nclients++] = (struct attach_client){ .fd = client };
        }
    }
}

void attach_broadcast(struct attach_hub *hub, int stream, const char *bytes, size_t length) {
    unsigned char header[5] = { (unsigned char)stream, (unsigned char)(length >> 24), (unsigned char)(length >> 16),
                                (unsigned char)(length >> 8), (unsigned char)length };
    for (size_t i = hub->nclients; i-- > 0;) {
        // Blocking writes to a socket: a client that stops reading holds the container's
        // output back, as an attached terminal does; it is dropped when it hangs up.
        struct iovec parts[2] = { { header, 5 }, { (void *)bytes, length } };
        if (writev(hub->clients[i].fd, parts, 2) < 0 && errno != EINTR) drop_client(hub, i);
    }
}
