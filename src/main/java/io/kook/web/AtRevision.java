package io.kook.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a read that answers {@code ?atRevision=N} from history, as the inventory was right after revision N. Reads
 * of live state (registrations) do not carry it, and answer {@code atRevision} with 400.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface AtRevision {

    String PARAM = "atRevision";
}
