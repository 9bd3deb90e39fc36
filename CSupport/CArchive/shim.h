// libarchive, for unpacking image layers (SkiffRuntime/Images).
#include <archive.h>
#include <archive_entry.h>
