/**
 * The C source of faultline's clock shim, a preload library (`LD_PRELOAD`) that skews what one process reads
 * from its clocks. It exists because Debian's libfaketime 0.9.10 deadlocks in some stores' servers (Debian links them
 * against the system jemalloc, whose initialisation calls `clock_gettime`, which libfaketime answers by
 * initialising itself, which calls `malloc` inside jemalloc's init lock: libfaketime issues #130 and #327,
 * reproduced here with gdb). The shim needs no allocation and no `dlsym`:
 *
 * - it reads the real clocks with the raw `clock_gettime` system call;
 * - `CLOCK_REALTIME` (and `_COARSE`) gets an offset read from a 16-byte control file it maps at first use
 *   (`FAULTLINE_CLOCK_FILE`: a sequence number, odd while the harness writes, then the offset in ns), so the
 *   harness can move the wall clock of a running process at any time — a jump, as an NTP step makes;
 * - with `FAULTLINE_CLOCK_RATE_PPM` (parts per million of real speed), wall and monotonic clocks run at that
 *   rate from the moment the process first reads a clock — a drifting oscillator;
 * - `gettimeofday` and `time` are answered from the same skewed wall clock; other clocks pass through.
 *
 * Kept as a string so it ships in `dist/` with the rest; built on first use by `buildClockShim`.
 */
export const CLOCK_SHIM_SOURCE = String.raw`/* faultline clock shim: see nemesis/clock/clock-shim-source.ts */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct control { volatile int64_t seq; volatile int64_t offset_ns; };

static struct control *shared;
static int ready;
static int64_t rate_ppm = 1000000;
static int64_t anchor_realtime, anchor_monotonic;

static int raw_clock(clockid_t id, struct timespec *ts) { return (int)syscall(SYS_clock_gettime, id, ts); }

static int64_t nanos(const struct timespec *ts) { return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec; }

static void init(void) {
  if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) return;
  const char *rate = getenv("FAULTLINE_CLOCK_RATE_PPM");
  int64_t ppm = 0;
  if (rate) for (; *rate >= '0' && *rate <= '9'; rate++) ppm = ppm * 10 + (*rate - '0');
  struct timespec now;
  raw_clock(CLOCK_REALTIME, &now);
  int64_t realtime = nanos(&now);
  raw_clock(CLOCK_MONOTONIC, &now);
  int64_t monotonic = nanos(&now);
  struct control *mapped = 0;
  const char *file = getenv("FAULTLINE_CLOCK_FILE");
  if (file) {
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      void *p = mmap(0, sizeof(struct control), PROT_READ, MAP_SHARED, fd, 0);
      close(fd);
      if (p != MAP_FAILED) mapped = p;
    }
  }
  /* Two threads may race here; both compute the same values, the first store wins. */
  int expected = 0;
  static int claimed;
  if (!__atomic_compare_exchange_n(&claimed, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    if (mapped) munmap(mapped, sizeof(struct control));
    while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {}
    return;
  }
  if (ppm > 0) rate_ppm = ppm;
  anchor_realtime = realtime;
  anchor_monotonic = monotonic;
  shared = mapped;
  __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

static int64_t offset(void) {
  struct control *c = shared;
  if (!c) return 0;
  for (;;) {
    int64_t before = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
    int64_t value = __atomic_load_n(&c->offset_ns, __ATOMIC_ACQUIRE);
    int64_t after = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
    if (before == after && (before & 1) == 0) return value;
  }
}

static int64_t at_rate(int64_t now, int64_t anchor) {
  if (rate_ppm == 1000000) return now;
  return anchor + (int64_t)((__int128)(now - anchor) * rate_ppm / 1000000);
}

int clock_gettime(clockid_t id, struct timespec *ts) {
  init();
  struct timespec real;
  if (raw_clock(id, &real) != 0) return -1;
  int64_t ns = nanos(&real);
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      ns = at_rate(ns, anchor_realtime) + offset();
      break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_BOOTTIME:
      ns = at_rate(ns, anchor_monotonic);
      break;
    default:
      *ts = real;
      return 0;
  }
  ts->tv_sec = ns / 1000000000LL;
  ts->tv_nsec = ns % 1000000000LL;
  if (ts->tv_nsec < 0) { ts->tv_nsec += 1000000000LL; ts->tv_sec -= 1; }
  return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  (void)tz;
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -1;
  struct timeval *volatile out = tv;
  if (out) { out->tv_sec = ts.tv_sec; out->tv_usec = ts.tv_nsec / 1000; }
  return 0;
}

time_t time(time_t *t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}
`;
