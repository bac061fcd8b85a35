package dev.arcx.orchestrator.workspace;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashing of workspace passwords with BouncyCastle: bcrypt (cost 10) for the API, argon2id for code-server.
 * Both take tens of milliseconds on purpose: call them on a worker thread, never on the event loop.
 */
final class PasswordHashing {
    static final int BCRYPT_COST = 10;
    /** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. code-server reads them from the PHC string. */
    static final int ARGON2_MEMORY_KIB = 19_456;
    static final int ARGON2_ITERATIONS = 2;
    static final int ARGON2_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int ARGON2_HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder PHC_BASE64 = Base64.getEncoder().withoutPadding();

    private PasswordHashing() {
    }

    static PasswordHashes hash(String password) {
        return new PasswordHashes(OpenBSDBCrypt.generate("2b", password.toCharArray(), salt(), BCRYPT_COST),
                argon2id(password, salt()));
    }

    static boolean matches(String password, String bcryptHash) {
        return OpenBSDBCrypt.checkPassword(bcryptHash, password.toCharArray());
    }

    /** The standard PHC string, {@code $argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>} in unpadded base64. */
    static String argon2id(String password, byte[] salt) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(ARGON2_MEMORY_KIB)
                .withIterations(ARGON2_ITERATIONS).withParallelism(ARGON2_PARALLELISM).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] hash = new byte[ARGON2_HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return "$argon2id$v=19$m=" + ARGON2_MEMORY_KIB + ",t=" + ARGON2_ITERATIONS + ",p=" + ARGON2_PARALLELISM
                + "$" + PHC_BASE64.encodeToString(salt) + "$" + PHC_BASE64.encodeToString(hash);
    }

    private static byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
