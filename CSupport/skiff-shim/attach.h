// Attach: clients of a unix socket in the container's directory see its output as it
// is written and may feed its stdin and resize its terminal (kubectl attach, run -i).
//
// Frames both ways: 1 byte type, 4 bytes big-endian length, then the payload.
//   to clients:   1 stdout, 2 stderr
//   from clients: 0 stdin bytes, 3 resize (rows u16, cols u16, big-endian), 4 close stdin
#pragma once
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

enum { ATTACH_STDIN = 0, ATTACH_STDOUT = 1, ATTACH_STDERR = 2, ATTACH_RESIZE = 3, ATTACH_CLOSE_STDIN = 4 };
enum { ATTACH_MAX_CLIENTS = 8 };

struct attach_client {
    int fd;
    unsigned char header[5];
    size_t header_length;
    size_t payload_left;      // bytes of the current frame still to come
    unsigned char type;
    unsigned char resize[4];
    size_t resize_length;
};

struct attach_hub {
    int listen_fd;            // -1: attach not offered
    int stdin_fd;             // write end of the container's stdin, -1 once closed
    int terminal_fd;          // the pty master for resizes, -1 without a terminal
    bool stdin_once;          // close stdin when the first client leaves
    struct attach_client clients[ATTACH_MAX_CLIENTS];
    size_t nclients;
};

// Listens on `path` (bound by its directory, so long paths work). Returns -1 on failure.
int attach_listen(const char *path);

// Adds the hub's descriptors to `fds`; returns how many.
size_t attach_poll_fds(const struct attach_hub *hub, struct pollfd *fds);
// Handles readiness reported in the `count` descriptors attach_poll_fds added.
void attach_handle(struct attach_hub *hub, const struct pollfd *fds, size_t count);
// Sends container output to every client; a client that cannot keep up is dropped.
void attach_broadcast(struct attach_hub *hub, int stream, const char *bytes, size_t length);
