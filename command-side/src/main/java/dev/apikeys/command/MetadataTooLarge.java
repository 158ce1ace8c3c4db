package dev.apikeys.command;

/** An update would leave the key's metadata larger than {@link KeyMetadata#MAX_BYTES}. */
public class MetadataTooLarge extends RuntimeException {

    public MetadataTooLarge() {
        super("The metadata would exceed " + KeyMetadata.MAX_BYTES + " bytes", null, false, false);
    }
}
