package dev.apikeys.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.apikeys.command.quota.KeyQuotaExceeded;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.runtime.persistence.AppendAnnouncer;
import java.util.UUID;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ConflictRetryingCommandSenderTest {

    private static final ToggleApiKey TOGGLE = new ToggleApiKey(UUID.randomUUID(), "alice");
    private static final MetaData META_DATA = MetaData.with(EventMetadata.ACTOR_ID, "alice");

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final AppendAnnouncer announcer = mock(AppendAnnouncer.class);
    private final ConflictRetryingCommandSender sender = new ConflictRetryingCommandSender(gateway, announcer);

    @Test
    void sendsTheCommandWithItsMetaData() {
        when(gateway.sendAndWait(any())).thenReturn("done");

        assertThat(sender.<String>send(TOGGLE, META_DATA)).isEqualTo("done");
        ArgumentCaptor<CommandMessage<?>> sent = ArgumentCaptor.forClass(CommandMessage.class);
        verify(gateway).sendAndWait(sent.capture());
        assertThat(sent.getValue().getPayload()).isEqualTo(TOGGLE);
        assertThat(sent.getValue().getMetaData()).containsEntry(EventMetadata.ACTOR_ID, "alice");
    }

    @Test
    void announcesTheCommitOfASuccessfulCommandOnly() {
        when(gateway.sendAndWait(any())).thenReturn("done").thenThrow(new KeyQuotaExceeded(100));

        sender.send(TOGGLE, META_DATA);
        assertThatThrownBy(() -> sender.send(TOGGLE, META_DATA)).isInstanceOf(KeyQuotaExceeded.class);

        verify(announcer, times(1)).announce();
    }

    @Test
    void sendsAgainAfterAConcurrentWriteToTheSameKey() {
        when(gateway.sendAndWait(any()))
                .thenThrow(new ConcurrencyException("lost the race"))
                .thenThrow(new ConcurrencyException("lost again"))
                .thenReturn("done");

        assertThat(sender.<String>send(TOGGLE, META_DATA)).isEqualTo("done");
        verify(gateway, times(3)).sendAndWait(any());
    }

    @Test
    void givesUpAfterABoundedNumberOfConflicts() {
        when(gateway.sendAndWait(any())).thenThrow(new ConcurrencyException("always losing"));

        assertThatThrownBy(() -> sender.send(TOGGLE, META_DATA)).isInstanceOf(ConcurrencyException.class);
        verify(gateway, times(ConflictRetryingCommandSender.MAX_ATTEMPTS)).sendAndWait(any());
    }

    @Test
    void neverRetriesABusinessRefusal() {
        when(gateway.sendAndWait(any())).thenThrow(new KeyQuotaExceeded(100));

        assertThatThrownBy(() -> sender.send(TOGGLE, META_DATA)).isInstanceOf(KeyQuotaExceeded.class);
        verify(gateway, times(1)).sendAndWait(any());
    }

    @Test
    void anUnknownKeyIsTheSameNotFoundAsSomeoneElsesKey() {
        when(gateway.sendAndWait(any())).thenThrow(new AggregateNotFoundException("id", "no events"));

        assertThatThrownBy(() -> sender.send(TOGGLE, META_DATA)).isInstanceOf(ApiKeyNotFound.class);
        verify(gateway, times(1)).sendAndWait(any());
    }
}
