package dev.engagement.gateway.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;

/**
 * CPU per scoring call (median of batches, thread CPU time), for a like and for a reply, beside a yardstick
 * measured in the same process: VADER on the same reply, which the policy has always run. Not part of the
 * suite (its name does not end in Test); run it with {@code mvn -q test -Dtest=PolicyScoringBench}. The
 * ratios to the yardstick compare across runs and machines; the nanoseconds only within one run.
 */
class PolicyScoringBench {

    private static final String REPLY = "Thanks for the feedback! We're always working to improve. What specific feature would you like to see?";

    @Test
    void cpuPerScoringCall() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        Sentiment vader = new Sentiment();
        EngagementRequest like = new EngagementRequest("like", "twitter", "tweet_98765", null, List.of("authentic", "relevant"), null, null);
        EngagementRequest reply = new EngagementRequest("reply", "twitter", "tweet_12345", REPLY,
                List.of("professional", "helpful", "concise"), null, null);
        double likeNs = medianNs(() -> policy.score(like));
        double replyNs = medianNs(() -> policy.score(reply, "Why is the app so slow lately?"));
        double vaderNs = medianNs(() -> vader.of(REPLY));
        System.out.printf(Locale.ROOT, "policy scoring, median CPU per call: like %.0f ns (%.3f x VADER), reply %.0f ns "
                + "(%.2f x VADER); yardstick VADER on the reply %.0f ns%n", likeNs, likeNs / vaderNs, replyNs, replyNs / vaderNs, vaderNs);
    }

    /** Median over 15 batches of the thread CPU time per call, after a warm-up of about 3 s. */
    private static double medianNs(Supplier<?> call) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        int perBatch = 1;
        while (System.nanoTime() < warmUntil) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                call.get();
            }
            if (System.nanoTime() - t0 < 50_000_000L) {
                perBatch *= 2;
            }
        }
        double[] batches = new double[15];
        for (int b = 0; b < batches.length; b++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < perBatch; i++) {
                call.get();
            }
            batches[b] = (mx.getCurrentThreadCpuTime() - c0) / (double) perBatch;
        }
        Arrays.sort(batches);
        return batches[batches.length / 2];
    }
}
