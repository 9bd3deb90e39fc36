// Linux calls that Swift's Glibc module does not import (glibc ≥ 2.36 declares them).
#include <sys/pidfd.h>
