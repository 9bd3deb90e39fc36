// The Swift driver links every executable SwiftPM builds with swiftrt.o, whose
// constructor registers the binary's Swift metadata with the Swift runtime. The shim
// has no Swift code, so these two definitions satisfy swiftrt.o here; linked with
// `-static-stdlib`, nothing of libswiftCore.a is then pulled in, and no libswiftCore.so
// is loaded: each container start is spared a few milliseconds of dynamic loading.
// (libstdc++ and libm stay listed, from the driver's static-stdlib arguments.)
void swift_addNewDSOImage(const void *header) { (void)header; }
int _swift_backtrace_isThunkFunction(const char *name) { (void)name; return 0; }
