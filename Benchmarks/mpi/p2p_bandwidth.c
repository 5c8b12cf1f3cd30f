/* Raw MPI point-to-point bandwidth, osu_bw-style, the reference for Tessera's path
 * (`tessera-bench mpi-bandwidth --mpi 2`): rank 1 sends `reps` messages of `bytes` to rank 0
 * (a window of up to 4 MPI_Isend in flight, as osu_bw keeps several), rank 0 receives them
 * with MPI_Irecv, and acknowledges the last one; MB/s = bytes * reps / elapsed.
 *
 *   mpicc -O2 -o p2p_bandwidth p2p_bandwidth.c
 *   mpirun -np 2 --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo ./p2p_bandwidth 67108864 20
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    long bytes = argc > 1 ? atol(argv[1]) : 64L << 20;
    int reps = argc > 2 ? atoi(argv[2]) : 20;
    enum { window = 4 };
    char *buf[window];
    for (int w = 0; w < window; w++) { buf[w] = malloc(bytes); memset(buf[w], rank + w, bytes); }
    MPI_Request req[window];
    for (int round = 0; round < 2; round++) {  /* round 0 warms up the connection */
        int n = round == 0 ? 2 : reps;
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int i = 0; i < n; i += window) {
            int k = n - i < window ? n - i : window;
            for (int w = 0; w < k; w++) {
                if (rank == 1) MPI_Isend(buf[w], (int)bytes, MPI_BYTE, 0, 1, MPI_COMM_WORLD, &req[w]);
                else MPI_Irecv(buf[w], (int)bytes, MPI_BYTE, 1, 1, MPI_COMM_WORLD, &req[w]);
            }
            MPI_Waitall(k, req, MPI_STATUSES_IGNORE);
        }
        char ack = 0;
        if (rank == 0) MPI_Send(&ack, 1, MPI_BYTE, 1, 2, MPI_COMM_WORLD);
        else MPI_Recv(&ack, 1, MPI_BYTE, 0, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        double t = MPI_Wtime() - t0;
        if (round == 1 && rank == 0)
            printf("{\"bytes\": %ld, \"reps\": %d, \"seconds\": %.6f, \"MBps\": %.1f}\n", bytes, reps, t, bytes * (double)reps / t / 1e6);
    }
    for (int w = 0; w < window; w++) free(buf[w]);
    MPI_Finalize();
    return 0;
}
