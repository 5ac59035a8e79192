package dev.engagement.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two halves of bench/crash-check ("nothing answered is lost on kill -9"), run against a gateway:
 * <ul>
 * <li>{@code load <port> <file>}: 8 senders submit likes with request ids until the gateway dies; every
 * answered one is appended to the file as "request_id engagement_id", flushed before the next.</li>
 * <li>{@code check <port> <file>}: after the restart, submits each answered request again. Kept, it is a
 * replay of the same engagement; lost, the gateway makes a new one. Exit status 1 when any was lost.</li>
 * </ul>
 */
public final class CrashCheck {

    private static final Pattern ENGAGEMENT_ID = Pattern.compile("\"engagement_id\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String url = "http://127.0.0.1:" + args[1] + "/engagements";
        Path file = Path.of(args[2]);
        if (args[0].equals("load")) {
            load(http, url, file);
        } else {
            System.exit(check(http, url, file) == 0 ? 0 : 1);
        }
    }

    private static void load(HttpClient http, String url, Path file) throws Exception {
        PrintWriter answered = new PrintWriter(Files.newBufferedWriter(file));
        AtomicLong sequence = new AtomicLong();
        for (int t = 0; t < 8; t++) {
            new Thread(() -> {
                while (true) {
                    long seq = sequence.incrementAndGet();
                    try {
                        HttpResponse<String> r = http.send(like(url, seq), HttpResponse.BodyHandlers.ofString());
                        Matcher id = ENGAGEMENT_ID.matcher(r.body());
                        if (r.statusCode() == 200 && id.find()) {
                            synchronized (answered) {
                                answered.println("crash-" + seq + " " + id.group(1));
                                answered.flush();
                            }
                        }
                    } catch (Exception e) {
                        return; // the gateway is gone
                    }
                }
            }).start();
        }
    }

    private static int check(HttpClient http, String url, Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        int lost = 0;
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length < 2) {
                continue; // the last line, cut by the kill
            }
            HttpResponse<String> r = http.send(like(url, Long.parseLong(parts[0].substring("crash-".length()))),
                    HttpResponse.BodyHandlers.ofString());
            Matcher id = ENGAGEMENT_ID.matcher(r.body());
            if (!id.find() || !id.group(1).equals(parts[1])) {
                lost++;
                if (lost <= 5) {
                    System.out.println("LOST: " + line + " now answered " + r.body());
                }
            }
        }
        System.out.printf("crash-check: %d engagements answered before the kill -9, %d lost%n", lines.size(), lost);
        return lost;
    }

    private static HttpRequest like(String url, long seq) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer dev-agent-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"like\",\"platform\":\"twitter\",\"target\":\"tweet_bench_"
                        + (500 + seq % 500) + "\",\"request_id\":\"crash-" + seq + "\"}"))
                .build();
    }
}
