package io.tidemark.workflows.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.worker.WorkflowImplementationOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Bad input fails a workflow at once, naming the field. The SDK's own JSON reading either ignores
 * a misspelled field (the default is overridden by no annotation here) or throws, and a throw
 * while reading a workflow's input fails its workflow task, which Temporal retries forever. Here
 * the data converter rewrites every reading error of an {@link ExternalInput} into a message that
 * names the field and the valid ones, and the workflow options make that error fail the workflow.
 *
 * <p>Use {@link #dataConverter()} on every client and {@link #implementationOptions()} for every
 * workflow registration.
 */
public final class StrictInputs {

  private StrictInputs() {}

  public static DataConverter dataConverter() {
    return DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new Converter(mapper()));
  }

  /** Reading errors (those of {@link #dataConverter()}) fail the workflow instead of its task. */
  public static WorkflowImplementationOptions implementationOptions() {
    return WorkflowImplementationOptions.newBuilder()
        .setFailWorkflowExceptionTypes(DataConverterException.class)
        .build();
  }

  static ObjectMapper mapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.addHandler(new UnknownFields());
    return mapper;
  }

  /** Skips unknown fields of Tidemark's own records; refuses them in external inputs. */
  private static final class UnknownFields extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
      if (type.isAnnotationPresent(ExternalInput.class)) {
        throw new UnknownField(p, type, propertyName);
      }
      p.skipChildren();
      return true;
    }
  }

  /** A field the record does not have. */
  static final class UnknownField extends JsonMappingException {
    final Class<?> type;
    final String name;

    UnknownField(JsonParser p, Class<?> type, String name) {
      super(p, "unknown field '" + name + "'");
      this.type = type;
      this.name = name;
    }
  }

  /** The SDK's JSON converter with reading errors put in words. */
  private static final class Converter extends JacksonJsonPayloadConverter {
    Converter(ObjectMapper mapper) {
      super(mapper);
    }

    @Override
    public <T> T fromData(Payload content, Class<T> valueClass, Type valueType) {
      try {
        return super.fromData(content, valueClass, valueType);
      } catch (DataConverterException e) {
        String message = describe(e, valueClass);
        // No cause: the message says all, and the UI shows the innermost failure of a chain.
        throw message == null ? e : new DataConverterException(message, null);
      }
    }
  }

  /** The reading error in words, or null if it is not one of a person's input. */
  static String describe(Throwable e, Class<?> valueClass) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof JsonMappingException) && !(cause instanceof JsonParseException)) {
      cause = cause.getCause();
    }
    String input = valueClass.getSimpleName();
    if (cause instanceof JsonParseException parse) {
      return input + " is not valid JSON: " + parse.getOriginalMessage();
    }
    if (!(cause instanceof JsonMappingException mapping)) {
      return null;
    }
    String path = path(mapping.getPath());
    if (mapping instanceof UnknownField unknown) {
      String owner = path.isEmpty() ? "" : " of " + path;
      String field = path.isEmpty() ? unknown.name : path + "." + unknown.name;
      return input + ": unknown field '" + field + "'; the valid fields" + owner + " are " + fields(unknown.type);
    }
    if (mapping instanceof MismatchedInputException mismatched && !path.isEmpty()) {
      return input + ": field '" + path + "' must be " + kind(mismatched.getTargetType()) + "; "
          + firstLine(mismatched.getOriginalMessage());
    }
    return input + ": " + firstLine(mapping.getOriginalMessage()) + (path.isEmpty() ? "" : " (at '" + path + "')");
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String fields(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components == null) {
      return "those of " + type.getSimpleName();
    }
    return Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "));
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "a " + type.getSimpleName();
  }

  private static String firstLine(String text) {
    int nl = text == null ? -1 : text.indexOf('\n');
    return nl < 0 ? String.valueOf(text) : text.substring(0, nl);
  }
}
