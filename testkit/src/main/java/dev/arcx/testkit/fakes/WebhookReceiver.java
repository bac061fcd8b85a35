package dev.arcx.testkit.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback for the tests: records every request, answers 500 to the first
 * {@code failures} of them, and, when {@link #hang()} was called, holds every request until {@link #release()}.
 */
public final class WebhookReceiver extends LoopbackServer {
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean hanging;

    public WebhookReceiver(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
    }

    public String url() {
        return baseUrl() + "/hook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void hang() {
        hanging = true;
    }

    /** Requests being held right now. */
    public int held() {
        return held.get();
    }

    public void release() {
        released.countDown();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            received.add(new Received(headers.getFirst("X-Arcx-Event"), headers.getFirst("X-Arcx-Delivery"),
                    headers.getFirst("X-Arcx-Signature"), body));
            if (hanging) {
                held.incrementAndGet();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
            }
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        release();
        super.close();
    }

    public record Received(String event, String deliveryId, String signature, String body) {
    }
}
