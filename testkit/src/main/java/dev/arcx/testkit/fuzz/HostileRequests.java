package dev.arcx.testkit.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import dev.arcx.testkit.fuzz.OpenApiOperations.Parameter;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile requests for an operation, drawn from a seeded {@link Random} (the same seed, the same requests): a body
 * that looks like the operation's schema with one thing wrong in it (a key given twice, NUL, a lone surrogate, bidi
 * controls, control characters, a 1 MiB string, a wrong JSON type, a huge or negative number, an unknown field,
 * Unicode oddities), a body that is wrong as a whole (empty, not JSON, 10,000 levels deep, not UTF-8), a wrong
 * content type, or hostile path parameters, query strings and headers. For a share of the requests the path names the
 * caller's real objects (their workspace, team, token…) instead of unknown ids, so the hostile parts reach the code
 * that acts on something that exists.
 */
public final class HostileRequests {
    /**
     * What to send: the path holds its query string, already encoded; a null body sends none. {@code onRealIds}: its
     * path parameters name the caller's real objects.
     */
    public record Request(String kind, String method, String path, Map<String, String> headers, byte[] body,
            boolean onRealIds) {
        public Request(String kind, String method, String path, Map<String, String> headers, byte[] body) {
            this(kind, method, path, headers, body, false);
        }

        public String describe() {
            return method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path) + " [" + kind
                    + (onRealIds ? ", real ids" : "") + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HOLE = "\"@@hostile@@\"";
    private static final int MIB = 1 << 20;
    private static final int DEEP = 10_000;

    /** Raw JSON values of the wrong type or range for some schema. */
    private static final List<String> ODD_VALUES = List.of("123", "-1", "0", "1.5", "true", "false", "null", "[]",
            "{}", "[\"a\",1]", "{\"a\":{\"b\":[]}}", "\"\"", "\"true\"", "\"1\"", "1e400", "-1e400",
            "99999999999999999999999999999999", "-9223372036854775809", "2147483648", "-2147483648", "1e-400",
            "\"9999-99-99T99:99:99Z\"", "\"not-a-uuid\"");

    /** Raw JSON strings that no text field should store as they are. */
    private static final List<String> ODD_STRINGS = List.of("\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"",
            "\"x\\udfffy\"", "\"\\ud83d\"", "\"\\u202eevil\\u202c\"", "\"\\u2066iso\\u2069\"",
            "\"a\\u0007\\u001b[31mb\"", "\"line\\r\\nbreak\"", "\"\\u0085\\u2028\\u2029\"", "\"\\ufeff\\u200b\"",
            "\"\\uffff\\ufffe\"", "\"e\\u0301\\u0301\\u0301\"", "\"\u00df\ud83d\ude00\u05e9\u05dc\u05d5\u05dd\"",
            "\"' OR 1=1 --\"", "\"../../etc/passwd\"", "\"<script>alert(1)</script>\"", "\"{{7*7}}\"",
            "\"%00\"", "\"   \"");

    private static final List<String> PATH_VALUES = List.of("%00", "a%00b", "%ED%A0%80", "%E2%80%AE", "%0A", "%0D%0A",
            "%1B", "-1", "0", "99999999999999999999999", "%2e%2e%2f%2e%2e", "..", "%C3%9F%F0%9F%98%80", "%27%20OR%201",
            "%25", "%FF%FE", "a".repeat(1500), "%20", "null", "true", "1.5");

    private static final List<String> QUERY_VALUES = List.of("%00", "a%00b", "%ED%A0%80", "%E2%80%AE", "-1",
            "99999999999999999999999", "1e400", "abc", "", "%0A", "%C3%9F", "true", "a".repeat(1500), "%FF",
            "2026-13-45T99:99:99Z");

    private static final List<String[]> HEADERS = List.of(new String[] {"Accept", "application/xml"},
            new String[] {"Accept", "*/*"}, new String[] {"Accept", ";;;"}, new String[] {"Accept", "text/plain"},
            new String[] {"X-CSRF-Token", "junk"}, new String[] {"X-Forwarded-For", "999.1.1.1, junk, ::ffff:x"},
            new String[] {"X-Forwarded-Host", "evil..example%00"}, new String[] {"X-Forwarded-Proto", "gopher"},
            new String[] {"X-Arcx-Workspace-Password", "p".repeat(4000)}, new String[] {"Origin", "null"},
            new String[] {"Referer", "::::"}, new String[] {"If-None-Match", "*"},
            new String[] {"Range", "bytes=99999999999-"}, new String[] {"User-Agent", "u".repeat(4000)},
            new String[] {"Accept-Language", "zz-ZZ;q=9"}, new String[] {"Content-Encoding", "gzip"},
            new String[] {"X-GitHub-Delivery", "%00"}, new String[] {"Stripe-Signature", "t=-1,v1=zz"});

    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/json; charset=bogus", ";;;", "application/*", "application/problem+json");

    /** Percent of the requests whose path parameters are the caller's real ids, where the caller has some. */
    private static final int REAL_SHARE = 60;

    private final Random random;
    /** The real ids of the request being drawn, by path parameter name; empty when it names unknown ones. */
    private Map<String, String> real = Map.of();

    public HostileRequests(long seed) {
        this.random = new Random(seed);
    }

    /** One hostile request for {@code operation}, its path naming nothing that exists. */
    public Request next(Operation operation) {
        return next(operation, Map.of());
    }

    /**
     * One hostile request for {@code operation}; for {@value #REAL_SHARE}% of them its path parameters are
     * {@code realIds} (by parameter name) where given. The draw does not depend on {@code realIds}, so a seed makes the
     * same sequence of requests whatever the ids are.
     */
    public Request next(Operation operation, Map<String, String> realIds) {
        boolean onReal = random.nextInt(100) < REAL_SHARE;
        real = new LinkedHashMap<>();
        if (onReal) {
            operation.pathParameters().stream().filter(parameter -> realIds.containsKey(parameter.name()))
                    .forEach(parameter -> real.put(parameter.name(), realIds.get(parameter.name())));
        }
        Request request = draw(operation);
        return real.isEmpty() ? request : new Request(request.kind(), request.method(), request.path(),
                request.headers(), request.body(), true);
    }

    private Request draw(Operation operation) {
        // A GET's body means nothing (and a stream's may never be read): its hostile parts are the address and headers.
        int pick = operation.method().equals("GET") ? 65 + random.nextInt(35) : random.nextInt(100);
        if (operation.body() != null && pick < 45) {
            return bodyCase(operation);
        }
        if (pick < 55) {
            return wholeBodyCase(operation);
        }
        if (pick < 65) {
            return contentTypeCase(operation);
        }
        if (pick < 80 && !operation.pathParameters().isEmpty()) {
            return pathCase(operation);
        }
        if (pick < 90) {
            return queryCase(operation);
        }
        return headerCase(operation);
    }

    private Request bodyCase(Operation operation) {
        ObjectNode base = sampleObject(operation.body());
        List<String> fields = new ArrayList<>();
        base.fieldNames().forEachRemaining(fields::add);
        JsonNode properties = operation.body().path("properties");
        String field = fields.isEmpty() ? "name" : fields.get(random.nextInt(fields.size()));
        int what = random.nextInt(11);
        String kind;
        String text;
        switch (what) {
            case 0 -> {
                kind = "duplicate key " + field;
                String json = write(base);
                String value = base.has(field) ? write(base.get(field)) : "\"a\"";
                text = "{\"" + field + "\":" + oddString() + ",\"" + field + "\":" + value
                        + (json.equals("{}") ? "}" : "," + json.substring(1));
            }
            case 1, 2, 3 -> {
                String odd = oddString();
                kind = "odd string in " + field + ": " + odd;
                text = withHole(base, field, odd);
            }
            case 4, 5, 6 -> {
                String odd = ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
                kind = "odd value in " + field + ": " + odd;
                text = withHole(base, field, odd);
            }
            case 7 -> {
                kind = "1 MiB string in " + field;
                text = withHole(base, field, "\"" + "A".repeat(MIB) + "\"");
            }
            case 8 -> {
                kind = "unknown field";
                base.put("hostile" + random.nextInt(1000), 1);
                text = write(base);
            }
            case 9 -> {
                kind = "nested value in " + field;
                text = withHole(base, field, "[".repeat(64) + "]".repeat(64));
            }
            default -> {
                JsonNode schema = properties.path(field);
                String wrong = wrongType(schema);
                kind = "wrong type in " + field + ": " + wrong;
                text = withHole(base, field, wrong);
            }
        }
        return json(operation, kind, text.getBytes(StandardCharsets.UTF_8));
    }

    private Request wholeBodyCase(Operation operation) {
        int what = random.nextInt(12);
        return switch (what) {
            case 0 -> json(operation, "empty body", new byte[0]);
            case 1 -> json(operation, "truncated JSON", "{\"".getBytes(StandardCharsets.UTF_8));
            case 2 -> json(operation, "not JSON", "{,}".getBytes(StandardCharsets.UTF_8));
            case 3 -> json(operation, "trailing tokens", "{} {}".getBytes(StandardCharsets.UTF_8));
            case 4 -> json(operation, "JSON scalar body", List.of("null", "0", "\"x\"", "[]", "true")
                    .get(random.nextInt(5)).getBytes(StandardCharsets.UTF_8));
            case 5 -> json(operation, "10,000 nested arrays",
                    ("[".repeat(DEEP) + "]".repeat(DEEP)).getBytes(StandardCharsets.UTF_8));
            case 6 -> json(operation, "10,000 nested objects",
                    ("{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP)).getBytes(StandardCharsets.UTF_8));
            case 7 -> json(operation, "invalid UTF-8", concat("{\"name\":\"", new byte[] {(byte) 0xff, (byte) 0xfe},
                    "\"}"));
            case 8 -> json(operation, "UTF-8 encoded surrogate", concat("{\"name\":\"",
                    new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}"));
            case 9 -> json(operation, "byte order mark", concat("", new byte[] {(byte) 0xef, (byte) 0xbb,
                    (byte) 0xbf}, "{}"));
            case 10 -> json(operation, "raw NUL byte", concat("{\"name\":\"a", new byte[] {0}, "\"}"));
            default -> json(operation, "1 MiB of JSON whitespace", (" ".repeat(MIB) + "{}")
                    .getBytes(StandardCharsets.UTF_8));
        };
    }

    private Request contentTypeCase(Operation operation) {
        String type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
        String body = operation.body() == null ? "{}" : write(sampleObject(operation.body()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", type);
        return new Request("content type " + type, operation.method(), path(operation, null, null), headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private Request pathCase(Operation operation) {
        Parameter parameter = operation.pathParameters().get(random.nextInt(operation.pathParameters().size()));
        String value = PATH_VALUES.get(random.nextInt(PATH_VALUES.size()));
        return withSampleBody(operation, "path " + parameter.name() + "=" + shorten(value),
                path(operation, parameter.name(), value));
    }

    private Request queryCase(Operation operation) {
        String name = operation.queryParameters().isEmpty() || random.nextInt(4) == 0 ? "hostile"
                : operation.queryParameters().get(random.nextInt(operation.queryParameters().size())).name();
        String value = QUERY_VALUES.get(random.nextInt(QUERY_VALUES.size()));
        String query = "?" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + value
                + (random.nextBoolean() ? "&" + name + "=again" : "");
        return withSampleBody(operation, "query " + name + "=" + shorten(value), path(operation, null, null) + query);
    }

    private Request headerCase(Operation operation) {
        String[] header = HEADERS.get(random.nextInt(HEADERS.size()));
        Request plain = withSampleBody(operation, "header " + header[0] + ": " + shorten(header[1]),
                path(operation, null, null));
        Map<String, String> headers = new LinkedHashMap<>(plain.headers());
        headers.put(header[0], header[1]);
        return new Request(plain.kind(), plain.method(), plain.path(), headers, plain.body());
    }

    private Request withSampleBody(Operation operation, String kind, String path) {
        byte[] body = operation.body() != null ? write(sampleObject(operation.body())).getBytes(StandardCharsets.UTF_8)
                : isBodyless(operation.method()) ? null : "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return new Request(kind, operation.method(), path, headers, body);
    }

    private Request json(Operation operation, String kind, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return new Request(kind, operation.method(), path(operation, null, null), headers, body);
    }

    /**
     * The operation's path with the real id, else an unknown UUID (8080 for ports), in each parameter, and
     * {@code value} in {@code name}.
     */
    private String path(Operation operation, String name, String value) {
        String path = operation.template();
        for (Parameter parameter : operation.pathParameters()) {
            String filled = parameter.name().equals(name) ? value
                    : real.getOrDefault(parameter.name(), sample(parameter));
            path = path.replace("{" + parameter.name() + "}", filled);
        }
        return path.replaceAll("\\{[^}]+}", unknownId());
    }

    private String sample(Parameter parameter) {
        String type = parameter.schema().path("type").asText();
        if (type.equals("integer") || type.equals("number")) {
            return "8080";
        }
        return unknownId();
    }

    /** An id nothing has, drawn from the seed like everything else. */
    private String unknownId() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** A plausible object for the schema: every property with a value of its type. */
    ObjectNode sampleObject(JsonNode schema) {
        JsonNode value = sampleValue(schema, 0);
        return value instanceof ObjectNode object ? object : NODES.objectNode();
    }

    private JsonNode sampleValue(JsonNode schema, int depth) {
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.0);
            case "boolean" -> NODES.booleanNode(false);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 3 && schema.has("items")) {
                    array.add(sampleValue(schema.get("items"), depth + 1));
                }
                yield array;
            }
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 3) {
                    schema.path("properties").fields().forEachRemaining(property ->
                            object.set(property.getKey(), sampleValue(property.getValue(), depth + 1)));
                }
                yield object;
            }
            default -> switch (schema.path("format").asText()) {
                case "uuid" -> NODES.textNode(unknownId());
                case "date-time" -> NODES.textNode("2030-01-01T00:00:00Z");
                default -> NODES.textNode("hostile");
            };
        };
    }

    private String wrongType(JsonNode schema) {
        String type = schema.path("type").asText("string");
        List<String> wrong = switch (type) {
            case "string" -> List.of("123", "true", "1.5", "[\"a\"]", "{\"a\":\"b\"}");
            case "integer" -> List.of("\"1\"", "1.5", "true", "[1]", "\"\"", "1e3");
            case "number" -> List.of("\"1\"", "true", "[1]");
            case "boolean" -> List.of("\"true\"", "1", "0", "\"yes\"", "[true]", "null");
            case "array" -> List.of("\"a\"", "1", "{}", "[[[]]]", "[null]", "[1,true]");
            default -> List.of("\"a\"", "1", "[]", "true");
        };
        return wrong.get(random.nextInt(wrong.size()));
    }

    private String oddString() {
        return ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size()));
    }

    private static String withHole(ObjectNode base, String field, String raw) {
        ObjectNode copy = base.deepCopy();
        copy.put(field, "@@hostile@@");
        return write(copy).replace(HOLE, raw);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean isBodyless(String method) {
        return method.equals("GET") || method.equals("DELETE");
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }
}
