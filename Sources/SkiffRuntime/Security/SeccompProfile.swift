import Crypto
import Foundation

/// The seccomp profile of a container: Kubernetes' `RuntimeDefault` (the profile
/// containerd and Docker ship: allow a known list, refuse the rest with EPERM) or
/// `Unconfined`. The shim compiles the rules with libseccomp; this type only decides.
public enum SeccompProfile: String, Sendable, Hashable, Codable {
    case runtimeDefault = "RuntimeDefault"
    case unconfined = "Unconfined"

    /// What the shim's spec carries: `seccomp.default` and one `seccomp.rule` each.
    struct Compiled: Equatable {
        var defaultAction: String
        var architectures: [String]
        var rules: [String]

        /// Names the compiled filter: equal rules, equal BPF.
        var digest: String {
            let text = ([defaultAction] + architectures + rules).joined(separator: "\n")
            return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The rules for a container holding `capabilities` (names without CAP_): some
    /// calls are allowed only with the capability that already guards them.
    func compiled(capabilities: Set<String>) -> Compiled? {
        guard self == .runtimeDefault else { return nil }
        var rules = Self.allowed.map { "allow \($0)" }
        rules += Self.argumentRules
        for (capability, calls) in Self.allowedWithCapability where capabilities.contains(capability) {
            rules += calls.map { "allow \($0)" }
        }
        if !capabilities.contains("SYS_ADMIN") {
            // Without CAP_SYS_ADMIN: clone only without namespace flags; clone3 cannot be
            // filtered by its flags (they sit behind a pointer), so it answers ENOSYS and
            // libc falls back to clone.
            rules.append("allow clone 0:&:\(Self.namespaceCloneFlags):0")
            rules.append("errno:38 clone3")
        }
        return Compiled(defaultAction: "errno:1", architectures: ["x86_64", "x86", "x32"], rules: rules)
    }

    /// CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (0x7E020000).
    static let namespaceCloneFlags = 0x7E02_0000

    static let argumentRules = [
        "allow socket 0:!=:40",   // every address family but AF_VSOCK
        "allow personality 0:==:0", "allow personality 0:==:8", "allow personality 0:==:131072",
        "allow personality 0:==:131080", "allow personality 0:==:4294967295",
        "allow arch_prctl", "allow modify_ldt",
    ]

    static let allowedWithCapability: [String: [String]] = [
        "SYS_ADMIN": """
            bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount
            mount_setattr move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname
            sethostname setns syslog umount umount2 unshare
            """.syscallNames,
        "DAC_READ_SEARCH": ["open_by_handle_at"],
        "SYS_BOOT": ["reboot"],
        "SYS_CHROOT": ["chroot"],
        "SYS_MODULE": ["delete_module", "init_module", "finit_module"],
        "SYS_PACCT": ["acct"],
        "SYS_PTRACE": ["kcmp", "pidfd_getfd", "process_madvise"],
        "SYS_RAWIO": ["iopl", "ioperm"],
        "SYS_TIME": ["settimeofday", "stime", "clock_settime", "clock_settime64"],
        "SYS_TTY_CONFIG": ["vhangup"],
        "SYS_NICE": ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
        "SYSLOG": ["syslog"],
        "BPF": ["bpf"],
        "PERFMON": ["perf_event_open"],
    ]

    /// Allowed for everyone (the list containerd and Docker allow unconditionally).
    static let allowed = """
        accept accept4 access adjtimex alarm bind brk capget capset chdir chmod chown chown32
        clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64
        clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2
        dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
        epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
        fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchown fchown32 fchownat fcntl
        fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64
        fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_time64 futex_waitv
        futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32 getgid
        getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
        getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list
        getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32
        getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl
        io_destroy io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup
        io_submit io_uring_enter io_uring_register io_uring_setup ipc kill landlock_add_rule
        landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat listen
        listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise membarrier
        memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2
        mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
        mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall
        munmap name_to_handle_at nanosleep newfstatat _newselect open openat openat2 pause pidfd_open
        pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl
        pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev
        pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg recvmmsg_time64
        recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir rseq
        rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend
        rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr
        sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
        sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr
        sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop
        semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32
        setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority
        setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit
        set_robust_list setsid setsockopt set_thread_area set_tid_address setuid setuid32 setxattr
        shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn
        socketcall socketpair splice stat stat64 statfs statfs64 statx symlink symlinkat sync
        sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun
        timer_gettime timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime
        timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate truncate64 ugetrlimit
        umask uname unlink unlinkat utime utimensat utimensat_time64 utimes vfork vmsplice wait4
        waitid waitpid write writev process_vm_readv process_vm_writev ptrace
        """.syscallNames
}

extension String {
    fileprivate var syscallNames: [String] {
        split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}
