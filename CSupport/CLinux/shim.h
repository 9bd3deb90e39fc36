// Linux and glibc calls that Swift's Glibc module does not import (glibc ≥ 2.36
// declares them): pidfd_open, malloc_trim.
#include <sys/pidfd.h>
#include <malloc.h>
