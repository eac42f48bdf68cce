package io.kook.web;

import java.io.IOException;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/** Writes a {@link Payload} part by part with its exact {@code Content-Length}; the controller sets the type. */
class PayloadConverter extends AbstractHttpMessageConverter<Payload> {

    PayloadConverter() {
        super(MediaType.ALL);
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return Payload.class.isAssignableFrom(clazz);
    }

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
        return false;
    }

    @Override
    protected Payload readInternal(Class<? extends Payload> clazz, HttpInputMessage input) {
        throw new HttpMessageNotReadableException("a Payload is only ever written", input);
    }

    @Override
    protected Long getContentLength(Payload payload, MediaType contentType) {
        return payload.length();
    }

    @Override
    protected void writeInternal(Payload payload, HttpOutputMessage output) throws IOException {
        payload.writeTo(output.getBody());
    }
}
