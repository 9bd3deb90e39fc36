#include "rootfs.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct mount_flags {
    unsigned long flags;        // for the mount itself
    unsigned long propagation;  // applied after, with a second call
    bool recursive_bind;
};

static struct mount_flags parse_options(const char *options) {
    struct mount_flags result = {0};
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", options ? options : "");
    for (char *saved = NULL, *option = strtok_r(copy, ",", &saved); option; option = strtok_r(NULL, ",", &saved)) {
        if (!strcmp(option, "ro")) result.flags |= MS_RDONLY;
        else if (!strcmp(option, "nosuid")) result.flags |= MS_NOSUID;
        else if (!strcmp(option, "nodev")) result.flags |= MS_NODEV;
        else if (!strcmp(option, "noexec")) result.flags |= MS_NOEXEC;
        else if (!strcmp(option, "relatime")) result.flags |= MS_RELATIME;
        else if (!strcmp(option, "strictatime")) result.flags |= MS_STRICTATIME;
        else if (!strcmp(option, "noatime")) result.flags |= MS_NOATIME;
        else if (!strcmp(option, "rbind")) result.recursive_bind = true;
        else if (!strcmp(option, "rprivate")) result.propagation = MS_PRIVATE | MS_REC;
        else if (!strcmp(option, "private")) result.propagation = MS_PRIVATE;
        else if (!strcmp(option, "rslave")) result.propagation = MS_SLAVE | MS_REC;
        else if (!strcmp(option, "slave")) result.propagation = MS_SLAVE;
        else if (!strcmp(option, "rshared")) result.propagation = MS_SHARED | MS_REC;
        else if (!strcmp(option, "shared")) result.propagation = MS_SHARED;
        // rw, bind, suid, dev, exec are the defaults.
    }
    return result;
}

static int openat2_in_root(int root, const char *path, int flags) {
    struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC),
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    return (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
}

// Opens `path` under `root` as an O_PATH descriptor, resolving every symlink as if
// `root` were "/" (so an image's `etc -> /somewhere` cannot point a mount outside),
// creating missing directories and, when `file` is set, the last component as a file.
// A dangling symlink is followed too: what it names is created inside the root.
static int open_in_root_following(int root, const char *path, bool file, int depth) {
    if (depth > 40) child_fail(ELOOP, "mount", "too many symlinks resolving %s in the rootfs", path);
    char prefix[4096];
    size_t length = strlen(path);
    if (length >= sizeof(prefix)) child_fail(ENAMETOOLONG, "mount", "path too long: %s", path);
    for (size_t end = 1; end <= length; end++) {
        if (end < length && path[end] != '/') continue;
        if (path[end - 1] == '/') continue;   // "//" or a trailing slash
        memcpy(prefix, path, end);
        prefix[end] = '\0';
        int fd = openat2_in_root(root, prefix, O_PATH);
        if (fd >= 0) {
            if (end == length) return fd;
            close(fd);
            continue;
        }
        if (errno != ENOENT) child_fail(errno, "mount", "cannot open %s in the rootfs", prefix);
        char *slash = strrchr(prefix, '/');
        *slash = '\0';
        const char *parent_path = prefix[0] ? prefix : "/";
        int parent = openat2_in_root(root, parent_path, O_PATH | O_DIRECTORY);
        if (parent < 0) child_fail(errno, "mount", "cannot open %s in the rootfs", parent_path);
        const char *name = slash + 1;
        bool last = end == length;
        int made = (last && file)
            ? openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644)
            : mkdirat(parent, name, 0755);
        if (made < 0 && errno == EEXIST) {
            // It exists yet does not resolve: a dangling symlink. Go where it points.
            char link[4096], next[8192];
            ssize_t n = readlinkat(parent, name, link, sizeof(link) - 1);
            if (n < 0) child_fail(errno, "mount", "cannot resolve %s/%s in the rootfs", prefix, name);
            link[n] = '\0';
            close(parent);
            if (link[0] == '/') snprintf(next, sizeof(next), "%s%s", link, path + end);
            else snprintf(next, sizeof(next), "%s/%s%s", prefix, link, path + end);
            return open_in_root_following(root, next, file, depth + 1);
        }
        if (made < 0) child_fail(errno, "mount", "cannot create %s in the rootfs", path);
        if (last && file) close(made);
        close(parent);
        *slash = '/';
        fd = openat2_in_root(root, prefix, O_PATH);
        if (fd < 0) child_fail(errno, "mount", "cannot open %s in the rootfs", prefix);
        if (last) return fd;
        close(fd);
    }
    return openat2_in_root(root, "/", O_PATH | O_DIRECTORY);
}

static int open_in_root(int root, const char *path, bool file) {
    return open_in_root_following(root, path, file, 0);
}

static void fd_path(int fd, char *buffer, size_t size) {
    snprintf(buffer, size, "/proc/self/fd/%d", fd);
}

static void make_device_nodes(int root) {
    static const struct { const char *name; unsigned major, minor; } nodes[] = {
        {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
    };
    int dev = openat2_in_root(root, "/dev", O_PATH | O_DIRECTORY);
    if (dev < 0) child_fail(errno, "devices", "cannot open /dev in the rootfs");
    mode_t old = umask(0);
    for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
        if (mknodat(dev, nodes[i].name, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)) && errno != EEXIST)
            child_fail(errno, "devices", "mknod /dev/%s", nodes[i].name);
    umask(old);
    static const struct { const char *name, *target; } links[] = {
        {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},
    };
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        if (symlinkat(links[i].target, dev, links[i].name) && errno != EEXIST)
            child_fail(errno, "devices", "symlink /dev/%s", links[i].name);
    close(dev);
}

static void mount_one(int root, const struct spec_mount *m) {
    struct mount_flags options = parse_options(m->options);
    bool bind = !strcmp(m->type, "bind");
    bool source_is_file = false;
    if (bind) {
        struct stat status;
        if (!m->source || stat(m->source, &status))
            child_fail(errno, "mount", "bind source %s of %s", m->source ? m->source : "(none)", m->target);
        source_is_file = !S_ISDIR(status.st_mode);
    }
    int target = open_in_root(root, m->target, source_is_file);
    char target_path[64];
    fd_path(target, target_path, sizeof(target_path));
    if (bind) {
        unsigned long flags = MS_BIND | (options.recursive_bind ? MS_REC : 0);
        if (mount(m->source, target_path, NULL, flags, NULL))
            child_fail(errno, "mount", "bind %s on %s", m->source, m->target);
        // A bind mount takes ro/nosuid/… only on a remount of the new mount point.
        unsigned long restrict_flags = options.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
        if (restrict_flags) {
            // Re-open: the descriptor still names the covered directory, not the new mount.
            close(target);
            target = open_in_root(root, m->target, source_is_file);
            fd_path(target, target_path, sizeof(target_path));
            if (mount(NULL, target_path, NULL, MS_BIND | MS_REMOUNT | restrict_flags, NULL))
                child_fail(errno, "mount", "remount %s read-only", m->target);
        }
    } else if (mount(m->source ? m->source : m->type, target_path, m->type, options.flags, m->data)) {
        child_fail(errno, "mount", "mount %s on %s", m->type, m->target);
    }
    if (options.propagation) {
        close(target);
        target = open_in_root(root, m->target, source_is_file);
        fd_path(target, target_path, sizeof(target_path));
        if (mount(NULL, target_path, NULL, options.propagation, NULL))
            child_fail(errno, "mount", "set propagation of %s", m->target);
    }
    close(target);
    if (!strcmp(m->target, "/dev") && !strcmp(m->type, "tmpfs")) make_device_nodes(root);
}

static void mount_root(const struct spec *spec) {
    if (spec->rootfs_lower) {
        if (!spec->rootfs_upper || !spec->rootfs_work)
            child_fail(EINVAL, "rootfs", "an overlay rootfs needs rootfs.upper and rootfs.work");
        size_t size = strlen(spec->rootfs_lower) + strlen(spec->rootfs_upper) + strlen(spec->rootfs_work) + 64;
        char *data = malloc(size);
        snprintf(data, size, "lowerdir=%s,upperdir=%s,workdir=%s", spec->rootfs_lower, spec->rootfs_upper, spec->rootfs_work);
        if (mount("overlay", spec->rootfs, "overlay", 0, data))
            child_fail(errno, "rootfs", "mount overlay on %s", spec->rootfs);
        free(data);
    } else if (mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL)) {
        // pivot_root needs the new root to be a mount point.
        child_fail(errno, "rootfs", "bind %s on itself", spec->rootfs);
    }
}

static void pivot_into(const char *rootfs) {
    // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves the
    // container with no path back to the host's filesystem (runc does the same).
    if (chdir(rootfs)) child_fail(errno, "pivot_root", "chdir %s", rootfs);
    if (syscall(SYS_pivot_root, ".", ".")) child_fail(errno, "pivot_root", "pivot_root into %s", rootfs);
    if (umount2(".", MNT_DETACH)) child_fail(errno, "pivot_root", "detach the old root");
    if (chdir("/")) child_fail(errno, "pivot_root", "chdir /");
}

static void mask_path(const char *path) {
    struct stat status;
    if (lstat(path, &status)) {
        if (errno == ENOENT) return;
        child_fail(errno, "mask", "stat %s", path);
    }
    int failed = S_ISDIR(status.st_mode)
        ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0")
        : mount("/dev/null", path, NULL, MS_BIND, NULL);
    if (failed) child_fail(errno, "mask", "mask %s", path);
}

static void make_readonly(const char *path) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL)) {
        if (errno == ENOENT) return;
        child_fail(errno, "readonly", "bind %s", path);
    }
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
        child_fail(errno, "readonly", "remount %s read-only", path);
}

void rootfs_prepare(const struct spec *spec) {
    // Nothing the container mounts may propagate back to the host.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) child_fail(errno, "rootfs", "make / private");
    mount_root(spec);
    int root = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) child_fail(errno, "rootfs", "open %s", spec->rootfs);
    for (size_t i = 0; i < spec->nmounts; i++) mount_one(root, &spec->mounts[i]);
    if (spec->cwd) close(open_in_root(root, spec->cwd, false));   // as runc: cwd is created
    close(root);
    pivot_into(spec->rootfs);
    for (size_t i = 0; i < spec->nmasked; i++) mask_path(spec->masked[i]);
    for (size_t i = 0; i < spec->nreadonly; i++) make_readonly(spec->readonly[i]);
    if (spec->rootfs_readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
        child_fail(errno, "rootfs", "remount / read-only");
}
