package dev.engagement.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Changing the flow in YAML" examples, taken from README.md as written there and applied
 * to copies of the shipped routes/ and application.properties, as an integrator would edit them; the
 * gateway then runs on the edited files.
 */
class ChangingTheFlowInYamlTest {

    private static final List<LogEvent> TAPPED = new CopyOnWriteArrayList<>();
    private static RunningGateway gateway;
    private static AbstractAppender capture;

    @BeforeAll
    static void startOnEditedFiles() throws Exception {
        Path home = Files.createTempDirectory("edited-gateway");
        copy(Path.of("routes"), home.resolve("routes"));
        Files.copy(Path.of("application.properties"), home.resolve("application.properties"));
        String readme = Files.readString(Path.of("README.md"));

        Path flow = home.resolve("routes/engagement-flow.yaml");
        insertAfter(flow, "id: decide", "            when:\n", example(readme, "tiktok-follows"));
        insertAfter(flow, "id: perform-action", "            method: succeed\n", example(readme, "wiretap-executed"));
        Files.writeString(home.resolve("application.properties"), "\n" + example(readme, "threads-replies"),
                java.nio.file.StandardOpenOption.APPEND);

        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        capture = new AbstractAppender("tapped", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if ("executed-engagements".equals(event.getLoggerName())) {
                    TAPPED.add(event.toImmutable());
                }
            }
        };
        capture.start();
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        gateway = RunningGateway.startEdited(home, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger().removeAppender("tapped");
    }

    @Test
    void everyTikTokFollowWaitsForAReviewerAndTheQueueSaysWhy() throws Exception {
        Answer a = gateway.submit("{\"action\": \"follow\", \"platform\": \"tiktok\", \"target\": \"user_dancer\", \"confidence\": 1.0}")
                .assertContract();
        assertEquals(202, a.status(), a.raw());
        JsonNode item = ApprovalFlowTest.find(gateway.get("/approvals", RunningGateway.REVIEWER).body(), a.text("/engagement_id"));
        assertTrue(item.path("reasons").findValuesAsText("rule").contains("rule.tiktok_follows"), item.toString());
        assertTrue(item.toString().contains("every TikTok follow waits for a reviewer"), item.toString());
    }

    @Test
    void threadsRepliesNeedAHigherConfidenceThanTheOthers() throws Exception {
        String reply = "{\"action\": \"reply\", \"platform\": \"%s\", \"target\": \"%s\", \"content\": \"Thanks, glad it helped!\"}";
        Answer threads = gateway.submit(reply.formatted("threads", "thread_13579")).assertContract();
        assertEquals(202, threads.status(), threads.raw());
        assertTrue(threads.raw().contains("threshold.auto_execute_above"), threads.raw());
        assertTrue(threads.raw().contains("threads reply executes only above 0.95"), threads.raw());
        Answer twitter = gateway.submit(reply.formatted("twitter", "tweet_12345")).assertContract();
        assertEquals(200, twitter.status(), "other platforms keep the shared threshold: " + twitter.raw());
    }

    @Test
    void everyExecutedEngagementGoesToTheWireTap() throws Exception {
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"instagram\", \"target\": \"post_tapped\"}").assertContract();
        assertEquals(200, a.status(), a.raw());
        String id = a.text("/engagement_id");
        long deadline = System.currentTimeMillis() + 10_000;
        while (TAPPED.stream().noneMatch(e -> e.getMessage().getFormattedMessage().contains(id)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(TAPPED.stream().anyMatch(e -> e.getMessage().getFormattedMessage().contains(id)),
                "the tap logged " + id + ": " + TAPPED.stream().map(e -> e.getMessage().getFormattedMessage()).toList());
    }

    @Test
    void aPlatformWithoutItsGuardedRoutesStopsTheStartWithTheirNames() throws Exception {
        Path home = Files.createTempDirectory("platform-without-routes");
        copy(Path.of("routes"), home.resolve("routes"));
        Files.copy(Path.of("application.properties"), home.resolve("application.properties"));
        Path platforms = home.resolve("routes/platforms.yaml");
        String yaml = Files.readString(platforms);
        int start = yaml.indexOf("- templatedRoute:\n    routeTemplateRef: platform-call\n    routeId: execute-threads");
        int end = yaml.indexOf("- templatedRoute:", start + 1);
        Files.writeString(platforms, yaml.substring(0, start) + (end < 0 ? "" : yaml.substring(end)));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> RunningGateway.startEdited(home, Map.of()).close());
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || !t.getMessage().contains("No route"))) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().contains("execute-threads"), t.getMessage());
    }

    /** The fenced block that follows {@code <!-- flow-example: name ...-->} in the README. */
    private static String example(String readme, String name) {
        Matcher m = Pattern.compile("<!-- flow-example: " + Pattern.quote(name) + "[^>]*-->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(), "README.md has the example " + name);
        return m.group(1);
    }

    /** Inserts the text after the first {@code line} that follows {@code marker} in the file. */
    private static void insertAfter(Path file, String marker, String line, String text) throws IOException {
        String s = Files.readString(file);
        int at = s.indexOf(line, s.indexOf(marker));
        assertTrue(s.indexOf(marker) >= 0 && at >= 0, file + " has " + marker + " then " + line.trim());
        Files.writeString(file, s.substring(0, at + line.length()) + text + s.substring(at + line.length()));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
