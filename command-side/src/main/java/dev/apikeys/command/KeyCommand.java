package dev.apikeys.command;

import java.util.UUID;

/** A command on one key: the key it targets, read without reflection. */
public interface KeyCommand {

    UUID keyId();
}
