package dev.arcx.common.support;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** {@link Outages} knows docker-java's answers by name (arcx-common has no docker-java): here with the real classes. */
class EngineAnswersTest {

    @Test
    void anAnswerOfTheEngineIsNoOutageWhateverItCarries() {
        assertFalse(Outages.unreachable(new ConflictException("container is not running")));
        assertFalse(Outages.unreachable(new DockerException("engine said no", 500,
                new ConnectException("carried along"))));
        assertFalse(Outages.unreachable(new RuntimeException("wrapped", new ConflictException("conflict"))));
    }
}
