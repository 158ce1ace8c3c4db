package dev.apikeys.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.apikeys.command.quota.KeyQuotaExceeded;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** What the command gateway sends again: a lost race for a key's next event, and nothing else. */
class CommandRetriesTest {

    private static final ToggleApiKey TOGGLE = new ToggleApiKey(UUID.randomUUID(), "alice");

    private final CommandBus bus = mock(CommandBus.class);
    private final Queue<Object> answers = new ArrayDeque<>();
    private final CommandGateway gateway = new CommandSideConfiguration().commandGateway(bus);

    CommandRetriesTest() {
        doAnswer(call -> {
            CommandCallback<Object, Object> callback = call.getArgument(1);
            Object answer = answers.isEmpty() ? "done" : answers.poll();
            callback.onResult(call.getArgument(0), answer instanceof Throwable failure
                    ? GenericCommandResultMessage.asCommandResultMessage(failure)
                    : GenericCommandResultMessage.asCommandResultMessage(answer));
            return null;
        }).when(bus).dispatch(any(CommandMessage.class), any());
    }

    @Test
    void sendsAgainAfterAConcurrentWriteToTheSameKey() {
        answers.addAll(List.of(conflict(), conflict()));

        assertThat((String) gateway.sendAndWait(TOGGLE)).isEqualTo("done");
        verify(bus, times(3)).dispatch(any(CommandMessage.class), any());
    }

    @Test
    void givesUpAfterABoundedNumberOfConflicts() {
        for (int i = 0; i < 20; i++) {
            answers.add(conflict());
        }

        assertThatThrownBy(() -> gateway.sendAndWait(TOGGLE)).isInstanceOf(ConcurrencyException.class);
        verify(bus, times(11)).dispatch(any(CommandMessage.class), any());
    }

    @Test
    void neverRetriesABusinessRefusal() {
        answers.add(new KeyQuotaExceeded(100));

        assertThatThrownBy(() -> gateway.sendAndWait(TOGGLE)).isInstanceOf(KeyQuotaExceeded.class);
        verify(bus, times(1)).dispatch(any(CommandMessage.class), any());
    }

    @Test
    void neverRetriesADatabaseOutOfReach() {
        answers.add(new CannotCreateTransactionException("no connection", new SQLException("refused", "08001")));

        assertThatThrownBy(() -> gateway.sendAndWait(TOGGLE)).isInstanceOf(CannotCreateTransactionException.class);
        verify(bus, times(1)).dispatch(any(CommandMessage.class), any());
    }

    /** Sent again, it would wait for a connection all over again before answering. */
    @Test
    void neverRetriesAConnectionLostMidCommand() {
        answers.add(new SQLException("An I/O error occurred while sending to the backend.", "08006"));

        assertThatThrownBy(() -> gateway.sendAndWait(TOGGLE)).hasRootCauseInstanceOf(SQLException.class);
        verify(bus, times(1)).dispatch(any(CommandMessage.class), any());
    }

    /** As Axon's storage engine reports a duplicate (key, sequence number). */
    private static ConcurrencyException conflict() {
        return new ConcurrencyException("lost the race",
                new SQLException("duplicate key value violates unique constraint", "23505"));
    }
}
