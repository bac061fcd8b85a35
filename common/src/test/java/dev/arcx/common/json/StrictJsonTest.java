package dev.arcx.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
    private static final ObjectMapper JSON = StrictJson.configure(new ObjectMapper());

    record Body(String name, Boolean admin, Integer count, List<String> tags, Map<String, String> files) {
    }

    @Test
    void aBodyThatSaysWhatItMeansIsRead() throws JsonProcessingException {
        Body body = JSON.readValue("{\"name\":\"a\\nb \\ud83d\\ude00\",\"admin\":true,\"count\":2,\"tags\":[\"x\"],"
                + "\"files\":{\"a.py\":\"print(1)\"}}", Body.class);
        assertEquals("a\nb \ud83d\ude00", body.name());
        assertEquals(true, body.admin());
        assertEquals(2, body.count());
    }

    @Test
    void aKeyGivenTwiceIsAnError() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JSON.readValue("{\"name\":\"a\",\"name\":\"b\"}", Body.class));
        assertTrue(e.getMessage().contains("Duplicate field 'name'"), e.getMessage());
        assertThrows(JsonProcessingException.class, () -> JSON.readTree("{\"a\":1,\"a\":2}"));
    }

    @Test
    void scalarsAreNotCoerced() {
        for (String body : List.of("{\"name\":123}", "{\"name\":true}", "{\"name\":1.5}", "{\"name\":[\"a\"]}",
                "{\"admin\":\"true\"}", "{\"admin\":1}", "{\"admin\":\"\"}", "{\"count\":\"2\"}", "{\"count\":1.5}",
                "{\"count\":true}", "{\"tags\":[1]}", "{\"tags\":\"x\"}", "{\"files\":{\"a\":1}}", "{} {}")) {
            assertThrows(JsonProcessingException.class, () -> JSON.readValue(body, Body.class), body);
        }
    }

    @Test
    void noStringHoldsANulOrALoneSurrogate() {
        for (String body : List.of("{\"name\":\"a\\u0000b\"}", "{\"name\":\"\\ud800\"}", "{\"name\":\"x\\udc00\"}",
                "{\"tags\":[\"ok\",\"\\u0000\"]}", "{\"files\":{\"a\\u0000\":\"x\"}}",
                "{\"files\":{\"a\":\"\\ud83d\"}}")) {
            MismatchedInputException e = assertThrows(MismatchedInputException.class,
                    () -> JSON.readValue(body, Body.class), body);
            assertTrue(e.getMessage().contains("NUL") || e.getMessage().contains("surrogate"), e.getMessage());
        }
    }
}
