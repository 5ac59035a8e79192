package dev.engagement.gateway.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Splits a batch of labelled items once into the development and held-out parts of the evaluation set, stratified
 * by category: each category's items, in file order, are shuffled with {@code new Random(seed)} (one generator for
 * the whole batch, categories taken in alphabetical order) and the first round(40%) of them are held out. The
 * lines are appended unchanged, each part in the batch's order. Deterministic: the same batch and seed give the
 * same split. Used for round 2 (issue 16) with seed 216, round 3 (evaluation-round3.jsonl) with seed 316, round 4 (evaluation-round4.jsonl) with seed 416, round 5 (evaluation-round5.jsonl) with seed 516, round 6 (evaluation-round6.jsonl) with seed 616 and round 7 (evaluation-round7.jsonl) with seed 716:
 * <pre>
 * java -cp target/test-classes:target/engagement-gateway.jar dev.engagement.gateway.policy.EvaluationSplit 216 \
 *     src/test/resources/policy/evaluation-round2.jsonl \
 *     src/test/resources/policy/evaluation-dev.jsonl src/test/resources/policy/evaluation-heldout.jsonl
 * </pre>
 */
public final class EvaluationSplit {

    static final double HELD_OUT = 0.40;

    private EvaluationSplit() {
    }

    /** The held-out line numbers (0-based, into {@code lines}) of a batch. */
    static List<Integer> heldOut(List<String> lines, long seed) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, List<Integer>> byCategory = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                byCategory.computeIfAbsent(mapper.readTree(lines.get(i)).path("category").asText(), c -> new ArrayList<>()).add(i);
            }
        }
        Random random = new Random(seed);
        List<Integer> held = new ArrayList<>();
        for (List<Integer> items : byCategory.values()) {
            Collections.shuffle(items, random);
            held.addAll(items.subList(0, (int) Math.round(items.size() * HELD_OUT)));
        }
        Collections.sort(held);
        return held;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: EvaluationSplit <seed> <batch.jsonl> <append-development.jsonl> <append-held-out.jsonl>");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        List<Integer> held = heldOut(lines, Long.parseLong(args[0]));
        List<String> development = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                (held.contains(i) ? heldOut : development).add(lines.get(i));
            }
        }
        Files.write(Path.of(args[2]), development, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.write(Path.of(args[3]), heldOut, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println(development.size() + " items to " + args[2] + ", " + heldOut.size() + " to " + args[3]);
    }
}
