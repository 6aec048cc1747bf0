// A folder's entries read from its descriptor in one system call per buffer (getdents64):
// fdopendir would add an fstat and two fcntl per folder, and glibc declares getdents64 only
// under _GNU_SOURCE, which Swift's Glibc module is built without.
#include <sys/syscall.h>
#include <unistd.h>

static inline long sitegen_getdents64(int fd, void *buffer, unsigned long size) {
    return syscall(SYS_getdents64, fd, buffer, size);
}
