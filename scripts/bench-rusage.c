/*
 * bench-rusage.c - runs a command and writes its wall time, CPU time and
 * peak memory to a file, for scripts/bench (compiled there, into its
 * temporary directory).  Like GNU time -f '%e %U+%S %M', with microsecond
 * CPU times and no dependency on Debian's 'time' package.
 *
 *   bench-rusage RESULT_FILE COMMAND [ARG...]
 *
 * RESULT_FILE gets one line: "WALL_S CPU_S MAXRSS_KB", where CPU is user +
 * system time of the command and its waited-for children, and MAXRSS is
 * the largest resident set of any of them (getrusage's ru_maxrss, as
 * /proc's VmHWM).  The exit status is the command's, or 128 + its signal;
 * 126 when it cannot run here, 127 when the command is not found.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
S_secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr,
		        "usage: bench-rusage RESULT_FILE COMMAND [ARG...]\n");
		return 126;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("bench-rusage: fork");
		return 126;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench-rusage: %s: %s\n", argv[2],
		        strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench-rusage: wait4");
			return 126;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 126;
	}
	fprintf(out, "%.6f %.6f %ld\n",
	        (double)(t1.tv_sec - t0.tv_sec) +
	                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	        S_secs(ru.ru_utime) + S_secs(ru.ru_stime), ru.ru_maxrss);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 126;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
