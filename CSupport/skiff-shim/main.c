// skiff-shim: starts one container from a spec read on a file descriptor and stays as
// its monitor. The real implementation lands with issue 4; see docs/runtime.md.
#include <stdio.h>

int main(void) {
    fprintf(stderr, "skiff-shim: not built yet\n");
    return 2;
}
