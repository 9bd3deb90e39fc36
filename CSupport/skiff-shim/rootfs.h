// The container's filesystem: overlayfs root, the spec's mounts, pivot_root, masked
// and read-only paths. Runs in the child, inside its own mount namespace, so every
// mount disappears with the container and none can leak onto the host.
#pragma once
#include "spec.h"

// Builds the root filesystem and pivots into it. Reports failures with child_fail.
void rootfs_prepare(const struct spec *spec);
