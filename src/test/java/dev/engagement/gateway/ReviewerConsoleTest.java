package dev.engagement.gateway;

import dev.engagement.gateway.contract.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reviewer console: served from the jar without a token, and driven in a real headless Chromium
 * the way a reviewer uses it (sign in, read why items wait, approve one, reject one by keyboard, see a
 * decision someone else made, on a desktop and on a phone-width screen).
 */
class ReviewerConsoleTest extends SharedGateway {

    private static final Path CHROMIUM = Path.of(System.getProperty("test.browser.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("test.browser.chromedriver", "/usr/bin/chromedriver"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A comment whose content is markup: the console must show it as text and run none of it. */
    private static final String HOSTILE = "Nice post! <script>window.__xss = 'script'</script>"
            + "<img src=x onerror=\"window.__xss = 'img'\"> <b>bold?</b>";

    @Test
    void theConsoleIsServedFromTheJarWithoutATokenAndNothingElseIs() throws Exception {
        HttpResponse<String> page = fetch("GET", "/console");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"),
                "no inline or foreign script may run on the page");
        assertTrue(page.body().contains("<script src=\"/console/console.js\""), page.body());

        HttpResponse<String> script = fetch("GET", "/console/console.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertFalse(script.body().contains("innerHTML"), "data is rendered with textContent, never as markup");
        assertEquals(200, fetch("GET", "/console/console.css").statusCode());

        for (String path : List.of("/console/application.properties", "/console/..%2Fapplication.properties", "/console/nope.js")) {
            Answer missing = gateway.get(path, null).assertContract();
            assertEquals(404, missing.status(), path + " " + missing.raw());
            assertEquals("NOT_FOUND", missing.text("/error/code"));
        }
        Answer post = gateway.post("/console", null, "{}").assertContract();
        assertEquals(405, post.status(), post.raw());
        assertTrue(gateway.get("/openapi.json", null).body().path("paths").has("/console"));
    }

    @Test
    void aReviewerSignsInAndDecidesInTheBrowser() throws Exception {
        inBrowser("", (browser, suffix) -> {
            String approveMe = queue("{\"action\": \"follow\", \"platform\": \"instagram\", \"target\": \"user_console_approve\", "
                    + "\"persona_constraints\": [\"strategic\"]}");
            String rejectMe = queue("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_console_reject\", "
                    + "\"persona_constraints\": [\"strategic\"]}");
            // the agent's confidence is under any score the policy may give the comment (0.95, less at most 0.15 when
            // the paraphrase model reads markup like the texts that need a human), so its reason is among those shown
            String hostile = queue("{\"action\": \"comment\", \"platform\": \"instagram\", \"target\": \"post_console_markup\", "
                    + "\"content\": " + quote(HOSTILE) + ", "
                    + "\"persona_constraints\": [\"friendly\"], \"confidence\": 0.72}");

            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            // refresh=0: no timer, so the test decides when the list refreshes
            browser.get("http://127.0.0.1:" + gateway.port() + "/console?refresh=0");

            // A wrong token is refused on the sign-in form; the right one opens the console (Enter submits).
            type(browser.findElement(By.id("token")), "not-a-token");
            browser.findElement(By.id("sign-in-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not accepted"));
            type(browser.findElement(By.id("token")), RunningGateway.AGENT);
            browser.findElement(By.id("sign-in-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not a reviewer token"));
            type(browser.findElement(By.id("token")), RunningGateway.REVIEWER);
            type(browser.findElement(By.id("reviewer-name")), "maria");
            browser.findElement(By.id("reviewer-name")).sendKeys(Keys.ENTER);
            wait.until(d -> d.findElements(By.cssSelector("li.card")).size() >= 3);
            assertEquals("maria", browser.findElement(By.id("session-name")).getText());

            // Each item says what would be done and why it waits.
            WebElement follow = card(browser, approveMe);
            assertEquals("instagram", field(follow, "platform"));
            assertEquals("follow", field(follow, "action"));
            assertEquals("user_console_approve", field(follow, "target"));
            assertEquals("0.75", field(follow, "confidence"));
            assertTrue(field(follow, "persona").contains("strategic"));
            assertFalse(field(follow, "reasons").isBlank());
            List<String> order = browser.findElements(By.cssSelector("li.card")).stream().map(c -> c.getAttribute("data-id")).toList();
            assertTrue(order.indexOf(hostile) < order.indexOf(approveMe), "newest first: " + order);

            // Markup in content is shown as text and never runs.
            WebElement markup = card(browser, hostile);
            assertEquals(HOSTILE, field(markup, "content"));
            assertTrue(field(markup, "reasons").contains("agent_confidence"), field(markup, "reasons"));
            assertTrue(markup.findElements(By.cssSelector("img, script, b")).isEmpty(), "no element was made from the content");
            assertEquals(Boolean.TRUE, js(browser).executeScript("return window.__xss === undefined"));

            // Every control is labelled; no horizontal scrolling at desktop width.
            assertEquals(List.of(), js(browser).executeScript(UNLABELLED_CONTROLS), "controls without an accessible name");

            // Approve with the mouse: the platform's answer shows in place.
            follow.findElement(By.cssSelector("textarea.note")).sendKeys("fits the brand");
            follow.findElement(By.cssSelector("button.approve")).click();
            WebElement approved = wait.until(d -> outcome(d, approveMe));
            assertEquals("success", approved.getAttribute("data-outcome"));
            assertTrue(approved.getText().contains("Approved and executed on instagram"), approved.getText());
            assertTrue(approved.getText().contains("\"following\": true"), approved.getText());

            // Reject with the keyboard only: note, Tab to Approve, Tab to Reject, Enter.
            WebElement reject = card(browser, rejectMe);
            WebElement note = reject.findElement(By.cssSelector("textarea.note"));
            note.click();
            note.sendKeys("off-brand", Keys.TAB, Keys.TAB);
            assertEquals(reject.findElement(By.cssSelector("button.reject")), browser.switchTo().activeElement());
            browser.switchTo().activeElement().sendKeys(Keys.ENTER);
            WebElement rejected = wait.until(d -> outcome(d, rejectMe));
            assertEquals("rejected", rejected.getAttribute("data-outcome"));
            assertTrue(rejected.getText().contains("REJECTED_BY_REVIEWER"), rejected.getText());

            // The list refreshed without a reload: both decisions are in "Recently decided", by maria.
            wait.until(d -> d.findElements(By.cssSelector("#recent-list li[data-id='" + approveMe + "']")).size() == 1
                    && d.findElements(By.cssSelector("#recent-list li[data-id='" + rejectMe + "']")).size() == 1);
            assertTrue(browser.findElement(By.cssSelector("#recent-list li[data-id='" + rejectMe + "']")).getText().contains("maria"));
            WebElement instagram = wait.until(d -> d.findElements(By.xpath("//tbody[@id='stats-body']/tr[th='instagram']"))
                    .stream().findFirst().orElse(null));
            assertTrue(Integer.parseInt(instagram.findElement(By.cssSelector("td.success")).getText()) >= 1);

            // What the server says agrees with the page.
            assertEquals("success", gateway.get("/engagements/" + approveMe, RunningGateway.REVIEWER).text("/status"));
            Answer rejectedState = gateway.get("/engagements/" + rejectMe, RunningGateway.REVIEWER);
            assertEquals("REJECTED_BY_REVIEWER", rejectedState.text("/error/code"));

            // A new item appears on Refresh; decided elsewhere meanwhile, deciding it here shows the 409.
            String elsewhere = queue("{\"action\": \"follow\", \"platform\": \"tiktok\", \"target\": \"user_console_elsewhere\", "
                    + "\"persona_constraints\": [\"strategic\"]}");
            assertTrue(browser.findElements(By.cssSelector("li.card[data-id='" + elsewhere + "']")).isEmpty());
            browser.findElement(By.id("refresh")).click();
            WebElement late = wait.until(d -> d.findElements(By.cssSelector("li.card[data-id='" + elsewhere + "']"))
                    .stream().findFirst().orElse(null));
            assertEquals(200, gateway.post("/approvals/" + elsewhere + "/reject", RunningGateway.REVIEWER,
                    "{\"reviewer\": \"li\", \"note\": \"faster\"}").status());
            late.findElement(By.cssSelector("button.approve")).click();
            WebElement conflict = wait.until(d -> outcome(d, elsewhere));
            assertEquals("conflict", conflict.getAttribute("data-outcome"));
            assertTrue(conflict.getText().contains("Already decided by someone else (409)"), conflict.getText());
            assertEquals(0, gateway.ledger("tiktok").size(), "the late approval executed nothing");
            // results decided here stay in place after that refresh
            assertEquals("success", outcome(browser, approveMe).getAttribute("data-outcome"));

            screenshot(browser, Path.of("target/console-screenshot" + suffix + ".png"));
            browser.manage().window().setSize(new Dimension(390, 844));
            assertEquals(Boolean.TRUE, js(browser).executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                    "the console fits a phone-width screen without horizontal scrolling");
            // what the phone shows first, and the whole page at that width
            js(browser).executeScript("window.scrollTo(0, 0)");
            Files.write(Path.of("target/console-screenshot-phone" + suffix + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            screenshot(browser, Path.of("target/console-screenshot-phone-full" + suffix + ".png"));
        });
    }

    @Test
    void aReviewerEditsByKeyboardSeesContextAndDecidesSeveralAtOnce() throws Exception {
        inBrowser("-reviewing", (browser, suffix) -> {
            String reply = queue("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_12345\", "
                    + "\"content\": \"Thanks for asking! CSV export is on our list.\", \"confidence\": 0.8}");
            String first = queue("{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"user_console_bulk_1\"}");
            String second = queue("{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"user_console_bulk_2\"}");
            String byKey = queue("{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"user_console_bulk_3\"}");

            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get("http://127.0.0.1:" + gateway.port() + "/console?refresh=0");
            type(browser.findElement(By.id("token")), RunningGateway.REVIEWER);
            type(browser.findElement(By.id("reviewer-name")), "noor");
            browser.findElement(By.id("sign-in-button")).click();
            wait.until(d -> d.findElements(By.cssSelector("li.card[data-id='" + reply + "']")).size() == 1);

            // The reply shows the post it answers and the account's history with its author.
            WebElement card = card(browser, reply);
            assertTrue(field(card, "answering").contains("export to CSV"), field(card, "answering"));
            assertTrue(field(card, "answering").contains("@user_customer_ana"), field(card, "answering"));

            // Only Twitter replies: j makes the reply current, e opens its editor with the agent's text.
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-platform"))).selectByValue("twitter");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-action"))).selectByValue("reply");
            wait.until(d -> d.findElements(By.cssSelector("#pending-list li.card")).size() == 1);
            card = card(browser, reply);
            browser.findElement(By.id("pending-title")).click();
            browser.switchTo().activeElement().sendKeys("j");
            assertTrue(card.getAttribute("class").contains("current"), card.getAttribute("class"));
            browser.switchTo().activeElement().sendKeys("e");
            WebElement edit = card.findElement(By.cssSelector("textarea.edit"));
            assertEquals(edit, browser.switchTo().activeElement(), "e puts the cursor in the edit box");
            assertEquals("Thanks for asking! CSV export is on our list.", edit.getAttribute("value"));

            // The count is X's own (weighted: an emoji counts 2, a link 23); over the limit it says so.
            String edited = "Thanks Ana! CSV export ships next month \uD83D\uDE80 https://example.com/roadmap";
            type(edit, edited);
            int weighted = com.twitter.twittertext.TwitterTextParser.parseTweet(edited).weightedLength;
            WebElement count = card.findElement(By.cssSelector(".char-count"));
            assertTrue(count.getText().startsWith(weighted + " / 280"), count.getText() + " vs " + weighted);
            assertEquals(List.of("Ana!"), card.findElements(By.cssSelector(".diff ins")).stream().map(WebElement::getText)
                    .filter("Ana!"::equals).toList(), "the diff marks what the reviewer added");
            assertTrue(card.findElements(By.cssSelector(".diff del")).stream().anyMatch(d -> d.getText().equals("for asking!")),
                    "a run of changes reads as one removal and one insertion");
            // An emoji sequence (a ZWJ family, a flag) is one emoji to X, 2 in all, not the sum of its parts.
            String family = "Welcome \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDDEB\uD83C\uDDF7";
            type(edit, family);
            int familyWeighted = com.twitter.twittertext.TwitterTextParser.parseTweet(family).weightedLength;
            assertTrue(count.getText().startsWith(familyWeighted + " / 280"), count.getText() + " vs " + familyWeighted);
            type(edit, edited);
            edit.sendKeys(" " + "x".repeat(280));
            assertTrue(count.getAttribute("class").contains("over"), count.getAttribute("class"));

            // An edit the policy would refuse is not approved: the card says why and offers the override.
            type(edit, "We will sue over this data breach, our lawyer is furious and this is a terrible crisis.");
            card.findElement(By.cssSelector(".card-title")).click();
            browser.switchTo().activeElement().sendKeys("a");
            WebElement refusal = card.findElement(By.cssSelector(".result"));
            wait.until(d -> refusal.getText().contains("REJECTED_BY_POLICY"));
            assertTrue(card.findElement(By.cssSelector(".override-label")).isDisplayed(), "the override is offered");
            assertEquals("pending", gateway.get("/engagements/" + reply, RunningGateway.REVIEWER).text("/status"));
            type(edit, edited);

            // Leave the box (click the card) and press a: the edited text is what the platform gets.
            card.findElement(By.cssSelector(".card-title")).click();
            browser.switchTo().activeElement().sendKeys("a");
            WebElement approved = wait.until(d -> outcome(d, reply));
            assertEquals("success", approved.getAttribute("data-outcome"), approved.getText());
            assertTrue(gateway.ledger("twitter").toString().contains("ships next month"), "the edit was posted");

            // Threads follows: select two and approve them together, reject the third with r.
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-platform"))).selectByValue("threads");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-action"))).selectByValue("follow");
            wait.until(d -> d.findElements(By.cssSelector("#pending-list li.card")).size() == 3);
            card(browser, first).findElement(By.cssSelector("input.select")).click();
            card(browser, second).findElement(By.cssSelector("input.select")).click();
            assertEquals("2 selected", browser.findElement(By.id("selected-count")).getText());
            browser.findElement(By.id("approve-selected")).click();
            assertEquals("success", wait.until(d -> outcome(d, first)).getAttribute("data-outcome"));
            assertEquals("success", wait.until(d -> outcome(d, second)).getAttribute("data-outcome"));
            WebElement third = card(browser, byKey);
            third.findElement(By.cssSelector(".card-title")).click();
            browser.switchTo().activeElement().sendKeys("j");
            browser.switchTo().activeElement().sendKeys("r");
            assertEquals("rejected", wait.until(d -> outcome(d, byKey)).getAttribute("data-outcome"));
            assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("threads"), "user_console_bulk_1"));
            assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("threads"), "user_console_bulk_2"));
            assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("threads"), "user_console_bulk_3"));
            assertEquals(List.of(), js(browser).executeScript(UNLABELLED_CONTROLS), "controls without an accessible name");
            screenshot(browser, Path.of("target/console-screenshot-reviewing" + suffix + ".png"));
        });
    }

    /** What a test does in the browser; suffix is "-postgres" on the PostgreSQL run, for its screenshots. */
    private interface BrowserSession {
        void run(WebDriver browser, String suffix) throws Exception;
    }

    /** A fresh headless Chromium for one test; a failure leaves its screenshot (target/console-failure + name) behind. */
    private static void inBrowser(String name, BrowserSession session) throws Exception {
        requireBrowser();
        Path profile = Files.createTempDirectory("console-chromium");
        WebDriver browser = startBrowser(profile);
        String suffix = TestDatabase.isPostgres() ? "-postgres" : "";
        try {
            session.run(browser, suffix);
        } catch (Throwable t) {
            screenshot(browser, Path.of("target/console-failure" + name + suffix + ".png"));
            throw t;
        } finally {
            browser.quit();
            deleteTree(profile);
        }
    }

    /** Inputs, text areas and buttons that a screen reader could not name. */
    private static final String UNLABELLED_CONTROLS = """
            return Array.from(document.querySelectorAll('input, textarea, select, button'))
              .filter(e => e.offsetParent !== null)
              .filter(e => e.tagName === 'BUTTON'
                  ? !(e.textContent.trim() || e.getAttribute('aria-label'))
                  : !((e.labels && e.labels.length && e.labels[0].textContent.trim()) || e.getAttribute('aria-label')))
              .map(e => e.outerHTML);
            """;

    private static String queue(String request) throws Exception {
        Answer a = gateway.submit(request).assertContract();
        assertEquals(202, a.status(), a.raw());
        return a.text("/engagement_id");
    }

    private static String quote(String text) throws Exception {
        return Json.newObjectMapper().writeValueAsString(text);
    }

    private static WebElement card(WebDriver browser, String id) {
        return browser.findElement(By.cssSelector("li.card[data-id='" + id + "']"));
    }

    private static String field(WebElement card, String name) {
        return card.findElement(By.cssSelector("[data-field='" + name + "']")).getText();
    }

    /** The card's result once it has one, else null (for waits). */
    private static WebElement outcome(WebDriver browser, String id) {
        List<WebElement> r = browser.findElements(By.cssSelector("li.card[data-id='" + id + "'] .result[data-outcome]"));
        return r.isEmpty() ? null : r.get(0);
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private static JavascriptExecutor js(WebDriver browser) {
        return (JavascriptExecutor) browser;
    }

    private static HttpResponse<String> fetch(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The machine's Chromium and its chromedriver, both named explicitly so Selenium Manager
     * downloads nothing. Without them the test is skipped, unless -Dtest.browser.required=true (CI).
     */
    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "No Chromium at " + CHROMIUM + " or no chromedriver at " + CHROMEDRIVER
                    + ": skipping the reviewer console's browser test (apt-get install chromium chromium-driver)";
            if (Boolean.getBoolean("test.browser.required")) {
                fail(message.replace("skipping", "and -Dtest.browser.required=true needs it for"));
            }
            Assumptions.abort(message);
        }
    }

    /** A fresh headless Chromium with its own profile folder and no background traffic. */
    private static WebDriver startBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The whole page (not only the window), so the artifact shows every section. */
    private static void screenshot(WebDriver browser, Path file) {
        try {
            Number width = (Number) js(browser).executeScript("return document.documentElement.scrollWidth");
            Number height = (Number) js(browser).executeScript("return document.documentElement.scrollHeight");
            Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of(
                    "format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            System.out.println("Console screenshot: " + file.toAbsolutePath());
        } catch (Exception e) {
            System.err.println("Could not save the screenshot " + file + ": " + e);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
