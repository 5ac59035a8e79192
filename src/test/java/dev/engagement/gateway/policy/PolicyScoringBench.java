package dev.engagement.gateway.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;

/**
 * CPU per scoring call, for a like and for a reply, with the paraphrase model and without it (the rules alone),
 * beside a yardstick measured in the same process: VADER on the same reply, which the policy has always run.
 * Two clocks: the calling thread's CPU time (precise; ONNX Runtime computes on the calling thread, see
 * {@link SentenceEmbeddings}) and the whole process's (coarse, and it also counts the JIT and the collector: it
 * shows no work hides on other threads). Medians of 9 batches of about 0.3 s after a warm-up of about 3 s. Not
 * part of the suite (its name does not end in Test); run it with {@code mvn -q test -Dtest=PolicyScoringBench}.
 * The ratios to the yardstick compare across runs; the nanoseconds only within one run.
 */
class PolicyScoringBench {

    private static final String REPLY = "Thanks for the feedback! We're always working to improve. What specific feature would you like to see?";

    /** Median CPU per call on the two clocks, in nanoseconds. */
    private record Cost(double thread, double process) {
    }

    @Test
    void cpuPerScoringCall() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        ConfidencePolicy rulesOnly = PolicyFixture.policy(ParaphraseModelTrainer.shippedRules());
        ConfidencePolicy withoutNeighbours;
        try (java.io.InputStream in = PolicyScoringBench.class.getResourceAsStream("/policy/paraphrase-model.tsv")) {
            withoutNeighbours = PolicyFixture.policy(ParaphraseModelTrainer.shippedRules(
                    ParaphraseClassifier.load(in, "paraphrase-model.tsv", new SentenceEmbeddings())));
        }
        Sentiment vader = new Sentiment();
        EngagementRequest like = new EngagementRequest("like", "twitter", "tweet_98765", null, List.of("authentic", "relevant"), null, null);
        EngagementRequest reply = new EngagementRequest("reply", "twitter", "tweet_12345", REPLY,
                List.of("professional", "helpful", "concise"), null, null);
        Cost yardstick = cost(() -> vader.of(REPLY));
        print("like", cost(() -> policy.score(like)), yardstick);
        // a like reads its target's text with the rules when the lookup gave it (engagement.policy.sensitive-target-actions)
        print("like, with the target's text", cost(() -> policy.score(like, "Why is the app so slow lately?")), yardstick);
        print("reply (a post seen before)", cost(() -> policy.score(reply, "Why is the app so slow lately?")), yardstick);
        AtomicLong posts = new AtomicLong();
        print("reply to a post not seen before", cost(() -> policy.score(reply,
                "Why is the app so slow lately? Day " + posts.incrementAndGet())), yardstick);
        // the seed's reply reads no category, so the shipped policy asks the labelled neighbours too
        print("reply, without the neighbours", cost(() -> withoutNeighbours.score(reply, "Why is the app so slow lately?")), yardstick);
        print("reply, rules alone", cost(() -> rulesOnly.score(reply, "Why is the app so slow lately?")), yardstick);
        print("yardstick: VADER on the reply", yardstick, yardstick);
    }

    private static void print(String what, Cost c, Cost yardstick) {
        System.out.printf(Locale.ROOT, "policy scoring, median CPU per call, %-30s thread %,10.0f ns (%7.3f x VADER), process %,10.0f ns (%7.3f x VADER)%n",
                what + ":", c.thread(), c.thread() / yardstick.thread(), c.process(), c.process() / yardstick.process());
    }

    private static Cost cost(Supplier<?> call) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        int perBatch = 1;
        while (System.nanoTime() < warmUntil) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                call.get();
            }
            if (System.nanoTime() - t0 < 300_000_000L) {
                perBatch *= 2;
            }
        }
        double[] thread = new double[9];
        double[] process = new double[9];
        for (int b = 0; b < thread.length; b++) {
            long t0 = threads.getCurrentThreadCpuTime();
            long p0 = os.getProcessCpuTime();
            for (int i = 0; i < perBatch; i++) {
                call.get();
            }
            thread[b] = (threads.getCurrentThreadCpuTime() - t0) / (double) perBatch;
            process[b] = (os.getProcessCpuTime() - p0) / (double) perBatch;
        }
        Arrays.sort(thread);
        Arrays.sort(process);
        return new Cost(thread[thread.length / 2], process[process.length / 2]);
    }
}
