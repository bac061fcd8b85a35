package dev.arcx.testkit.callers;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** JSON requests to the service under test (RestAssured's base address) as the administrator, a token, or nobody. */
public final class Callers {
    private Callers() {
    }

    /** With {@code Authorization: Bearer <token>}: a session token, a personal API token, any token under test. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** With the test profile's administrator token. */
    public static RequestSpecification admin() {
        return as(TestTokens.ADMIN_TOKEN);
    }

    /** Without credentials. */
    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }
}
