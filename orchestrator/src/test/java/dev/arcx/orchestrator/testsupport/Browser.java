package dev.arcx.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code ./arcx test} installs)
 * driven through Selenium, with a fresh profile, pointed at the running test application. Signs in the way a browser
 * that finished the GitHub flow is signed in: with the {@code arc_session} cookie.
 */
public final class Browser implements AutoCloseable {
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(375, 800);
    /** Where every screenshot goes, to be looked at after a run. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String SESSION_COOKIE = "arc_session";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** @param base the application's root URL, e.g. from {@code @TestHTTPResource("/")} */
    public static Browser open(URL base) {
        String chromium = firstExisting("/usr/lib/chromium/chromium", "/usr/bin/chromium");
        String driverBinary = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("arcx-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driverBinary)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        return new Browser(driver, profile, root);
    }

    private static String firstExisting(String... paths) {
        return Stream.of(paths).filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("Chromium is not installed: apt-get install chromium "
                        + "chromium-driver (./arcx test installs them)"));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Signs in as the user, as the GitHub sign-in would have left the browser. */
    public Browser signInAs(TestUser user) {
        return withSession(TestSessions.open(user));
    }

    /** Sets the session cookie to any value: a session token, or the administrator token for the admin pages. */
    public Browser withSession(String value) {
        // A cookie can only be set for the page's origin: load the cheapest page of it first.
        driver.get(base + "/favicon.svg");
        driver.manage().deleteAllCookies();
        driver.manage().addCookie(new Cookie.Builder(SESSION_COOKIE, value).path("/").isHttpOnly(true).build());
        return this;
    }

    public Browser signOut() {
        driver.get(base + "/favicon.svg");
        driver.manage().deleteAllCookies();
        return this;
    }

    public Browser get(String path) {
        driver.get(base + path);
        return this;
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for a visible element (scripts fill pages after they load). */
    public WebElement waitFor(String css) {
        return until(() -> all(css).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Waits until {@code probe} answers non-null, re-asking; the answer. */
    public <T> T until(Supplier<T> probe) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(probe::get,
                value -> value != null && !Boolean.FALSE.equals(value));
    }

    /**
     * What axe-core (Deque's engine, run in the page) finds against WCAG 2.1 A and AA on the current page, one line
     * per broken rule with up to three of the elements; empty when nothing.
     */
    public List<String> accessibilityProblems() {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze(driver);
        return results.getViolations().stream().map(rule -> rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp()
                + ") at " + rule.getNodes().stream().limit(3).map(node -> String.valueOf(node.getTarget())).toList())
                .toList();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Whether the page is wider than the window: a phone user would have to scroll sideways. */
    public boolean scrollsSideways() {
        return (Boolean) js("return document.documentElement.scrollWidth > window.innerWidth");
    }

    /** The system colour scheme the page sees ({@code prefers-color-scheme}): "light" or "dark". */
    public void prefer(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Saves the current page as {@code target/screenshots/<name>.png}, the whole page's height. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, window.innerHeight)");
            Dimension before = driver.manage().window().getSize();
            Number chrome = (Number) js("return window.outerHeight - window.innerHeight");
            driver.manage().window().setSize(new Dimension(before.getWidth(),
                    Math.min(height.intValue() + chrome.intValue(), 6000)));
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            driver.manage().window().setSize(before);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page in the light and the dark scheme: {@code <name>-light.png} and {@code <name>-dark.png}. */
    public void screenshots(String name) {
        prefer("light");
        screenshot(name + "-light");
        prefer("dark");
        screenshot(name + "-dark");
        prefer("light");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile harms nothing.
            }
        }
    }
}
