// The container's stdout and stderr in the CRI log format the kubelet reads:
//   2026-12-01T23:10:00.123456789Z stdout F a whole line
//   2026-12-01T23:10:00.123456789Z stderr P the first 16 KiB of a longer line
// with size-based rotation: NAME.log → NAME.log.1 → … up to max_files files in all.
#pragma once
#include <stddef.h>

enum log_stream { LOG_STDOUT, LOG_STDERR };

struct log_writer {
    int fd;
    const char *path;
    unsigned long long size, max_size;   // max_size 0: never rotate
    unsigned max_files;
    char pending[2][16384];              // the unfinished line of each stream
    size_t pending_length[2];
};

int log_open(struct log_writer *writer, const char *path, unsigned long long max_size, unsigned max_files);
// Appends output of one stream; whole lines are written at once, the rest waits.
void log_append(struct log_writer *writer, enum log_stream stream, const char *bytes, size_t length);
// Writes what is left of a stream's last line (at end of output).
void log_finish(struct log_writer *writer, enum log_stream stream);

// RFC 3339 with nanoseconds in UTC, e.g. 2026-12-01T23:10:00.123456789Z (31 bytes + NUL).
void format_timestamp(char buffer[40]);
