package io.tidemark.workflows.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A record people or other services send: a workflow's input, an update's or signal's argument.
 * {@link StrictInputs} rejects a field of it that the record does not have, where everything
 * Tidemark sends to itself is read leniently (an older worker must still read a newer record).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExternalInput {}
