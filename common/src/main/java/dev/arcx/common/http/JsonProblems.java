package dev.arcx.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * What was wrong with a JSON body, for a person: the field (as a path, {@code files[2].name}) and the rule it broke,
 * without the parser's class names.
 */
final class JsonProblems {
    private static final int MAX_DETAIL = 300;

    private JsonProblems() {
    }

    static String detail(JsonProcessingException failure) {
        if (failure instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + field(unknown) + "'; allowed fields: " + unknown.getKnownPropertyIds();
        }
        if (failure instanceof StreamConstraintsException) {
            return "the body is too large or too deeply nested: " + shorten(failure.getOriginalMessage());
        }
        if (failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = field(mapping);
            if (failure instanceof MismatchedInputException mismatch && !(failure instanceof InvalidFormatException)
                    && !mismatch.getOriginalMessage().startsWith("the ")) {
                return "field '" + field + "' must be " + expected(mismatch.getTargetType());
            }
            if (failure instanceof InvalidFormatException format) {
                return "field '" + field + "' must be " + expected(format.getTargetType());
            }
            return "field '" + field + "': " + shorten(mapping.getOriginalMessage());
        }
        if (failure instanceof DatabindException && failure.getOriginalMessage() != null
                && failure.getOriginalMessage().startsWith("No content")) {
            return "a JSON body is required";
        }
        return "the body is not valid JSON for this operation: " + shorten(failure.getOriginalMessage());
    }

    /** The path of the failing value, {@code a.b[0].c}. */
    static String field(JsonMappingException failure) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : failure.getPath()) {
            if (step.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(body)" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == UUID.class) {
            return "a UUID string";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant string such as 2026-01-31T12:00:00Z";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of another type";
    }

    private static String shorten(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
    }
}
