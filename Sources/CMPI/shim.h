// What Swift cannot import from Open MPI: MPI_COMM_WORLD, MPI_BYTE and MPI_STATUS_IGNORE are
// macros casting the addresses of library globals. Each wrapper is one call on the world
// communicator with bytes as the only datatype; Tessera's communication thread makes every call.
#ifndef TESSERA_MPI_SHIM_H
#define TESSERA_MPI_SHIM_H
#include <mpi.h>

static inline int tessera_mpi_init(int *provided) {
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, provided);
}
static inline int tessera_mpi_rank(void) { int r = -1; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
static inline int tessera_mpi_size(void) { int n = 0; MPI_Comm_size(MPI_COMM_WORLD, &n); return n; }
static inline int tessera_mpi_errors_return(void) {
    return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}
static inline int tessera_mpi_isend(const void *buf, int count, int dest, int tag, MPI_Request *request) {
    return MPI_Isend(buf, count, MPI_BYTE, dest, tag, MPI_COMM_WORLD, request);
}
/// Probes for any message with `tag`; on a match, takes it (`*message`) and reports its sender and size.
static inline int tessera_mpi_improbe(int tag, int *flag, MPI_Message *message, int *source, int *count) {
    MPI_Status status;
    int rc = MPI_Improbe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, flag, message, &status);
    if (rc == MPI_SUCCESS && *flag) {
        *source = status.MPI_SOURCE;
        rc = MPI_Get_count(&status, MPI_BYTE, count);
    }
    return rc;
}
static inline int tessera_mpi_mrecv(void *buf, int count, MPI_Message *message) {
    return MPI_Mrecv(buf, count, MPI_BYTE, message, MPI_STATUS_IGNORE);
}
/// Receives `count` bytes from `source` with `tag`, blocking (the tail of a value whose head arrived).
static inline int tessera_mpi_recv(void *buf, int count, int source, int tag) {
    return MPI_Recv(buf, count, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
static inline int tessera_mpi_testsome(int n, MPI_Request *requests, int *done, int *indices) {
    return MPI_Testsome(n, requests, done, indices, MPI_STATUSES_IGNORE);
}
static inline int tessera_mpi_ibarrier(MPI_Request *request) { return MPI_Ibarrier(MPI_COMM_WORLD, request); }
static inline int tessera_mpi_test(MPI_Request *request, int *flag) { return MPI_Test(request, flag, MPI_STATUS_IGNORE); }
static inline int tessera_mpi_finalize(void) { return MPI_Finalize(); }
static inline int tessera_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static inline int tessera_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
#endif
