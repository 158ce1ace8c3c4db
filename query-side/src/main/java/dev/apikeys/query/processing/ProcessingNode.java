package dev.apikeys.query.processing;

/** The owner name this instance's processors claim their segments under in the token table. */
public record ProcessingNode(String id) {
}
