package dev.engagement.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A small closed-loop load generator: N threads, each sending its next operation as soon as the
 * previous one answered (fixed concurrency), or — with a rate — on a fixed schedule, timing each
 * operation from when it was due (no coordinated omission). Warm-up operations are not recorded.
 */
final class Load {

    /** One operation; returns false when it failed (counted as an error). */
    interface Op {
        boolean run(long sequence) throws Exception;
    }

    /**
     * cpuMsPerUnit: CPU time (user + system, all threads) the watched process spent during the measured
     * window, per unit of work; NaN when no process is watched.
     */
    record Result(String name, int concurrency, long ops, long errors, double seconds, double p50Ms, double p99Ms, double unitsPerOp,
                  double cpuMsPerUnit) {
        double throughput() {
            return ops * unitsPerOp / seconds;
        }
    }

    /** The process whose CPU time the next runs account (the server under test); -1 for none. */
    static volatile long watchedPid = -1;

    /** CPU time so far of a JVM's JIT compiler threads (C1, C2) in ms, from /proc (Linux); NaN when unreadable. */
    static double jitCpuMillis(long pid) {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            return tasks.mapToDouble(task -> {
                double ms = statCpuMillis(task.resolve("stat"), "C\\d CompilerThre.*");
                return Double.isNaN(ms) ? 0 : ms; // not a compiler thread, or it ended meanwhile
            }).sum();
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** CPU time of a process so far in ms, from /proc (Linux); NaN when it cannot be read. */
    static double cpuMillis(long pid) {
        return pid < 0 ? Double.NaN : statCpuMillis(java.nio.file.Path.of("/proc/" + pid + "/stat"), ".*");
    }

    /** utime + stime of a /proc stat file in ms, if its name matches; NaN otherwise or when unreadable. */
    private static double statCpuMillis(java.nio.file.Path stat, String nameRegex) {
        try {
            String line = java.nio.file.Files.readString(stat);
            if (!line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')).matches(nameRegex)) {
                return Double.NaN;
            }
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) in clock ticks, 100 per second on Linux
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static Result run(String name, int concurrency, double warmupS, double measureS, double ratePerSecond, double unitsPerOp, Op op)
            throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupS * 1e9);
        long end = measureFrom + (long) (measureS * 1e9);
        long[][] latencies = new long[concurrency][];
        long[] counts = new long[concurrency];
        long[] errors = new long[concurrency];
        Thread[] threads = new Thread[concurrency];
        double intervalNanos = ratePerSecond > 0 ? 1e9 * concurrency / ratePerSecond : 0;
        for (int t = 0; t < concurrency; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                long due = start + (long) (intervalNanos * me / concurrency);
                while (true) {
                    long now = System.nanoTime();
                    if (intervalNanos > 0) {
                        if (due > now) {
                            sleepNanos(due - now);
                        }
                    } else {
                        due = now;
                    }
                    if (due >= end) {
                        break;
                    }
                    boolean ok;
                    try {
                        ok = op.run(sequence.getAndIncrement());
                    } catch (Exception e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (due >= measureFrom) {
                        if (!ok) {
                            errors[me]++;
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = done - due;
                    }
                    if (intervalNanos > 0) {
                        due += (long) intervalNanos;
                    }
                }
                latencies[me] = Arrays.copyOf(mine, n);
                counts[me] = n;
            }, "load-" + name + "-" + t);
            threads[t].start();
        }
        long pid = watchedPid;
        sleepNanos(measureFrom - System.nanoTime());
        double cpuFrom = cpuMillis(pid);
        sleepNanos(end - System.nanoTime());
        double cpuTo = cpuMillis(pid);
        for (Thread t : threads) {
            t.join();
        }
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        Arrays.sort(all);
        return new Result(name, concurrency, total, Arrays.stream(errors).sum(), measureS,
                percentile(all, 0.50), percentile(all, 0.99), unitsPerOp, (cpuTo - cpuFrom) / Math.max(1, total * unitsPerOp));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** HTTP POSTs of JSON bodies made by {@code body} from the sequence number; a 2xx answer is a success. */
    static Op post(HttpClient http, String url, String token, LongFunction<String> body) {
        return seq -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.apply(seq)));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() / 100 == 2;
        };
    }

    private Load() {
    }
}
