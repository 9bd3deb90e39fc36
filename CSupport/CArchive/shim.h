// libarchive, for unpacking image layers (SkiffRuntime/Images), and the xattr
// calls the unpacker needs beside it (overlay opaque markers, file capabilities),
// which Swift's Glibc module does not export.
#include <archive.h>
#include <archive_entry.h>
#include <sys/xattr.h>
