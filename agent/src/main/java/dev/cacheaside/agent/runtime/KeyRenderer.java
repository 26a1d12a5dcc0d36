package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.KeyTemplate;

import java.util.List;

/** A key template bound to one prefix: renders the Redis key of one call. */
final class KeyRenderer {

    private final String prefix;
    private final KeyTemplate template;
    private final KeyTemplate.Part[] parts;
    private final String constant;
    private final String separators;
    private final JsonCodec codec;

    KeyRenderer(String prefix, KeyTemplate template, JsonCodec codec) {
        this.prefix = prefix;
        this.template = template;
        this.parts = template.parts().toArray(new KeyTemplate.Part[0]);
        this.codec = codec;
        this.separators = template.separators();
        this.constant = template.isConstant() ? prefix + literalText(template) : null;
    }

    private static String literalText(KeyTemplate template) {
        StringBuilder text = new StringBuilder();
        for (KeyTemplate.Part part : template.parts()) {
            text.append(((KeyTemplate.Literal) part).text());
        }
        return text.toString();
    }

    KeyTemplate template() {
        return template;
    }

    /**
     * Renders the key.
     *
     * @throws CodecException when an argument needs a digest and cannot be written as JSON
     * @throws IllegalStateException when a property path cannot be read
     */
    String render(Object[] arguments, Object result) throws CodecException {
        if (constant != null) {
            return constant;
        }
        StringBuilder key = new StringBuilder(prefix.length() + 32).append(prefix);
        for (KeyTemplate.Part part : parts) {
            if (part instanceof KeyTemplate.Literal) {
                key.append(((KeyTemplate.Literal) part).text());
            } else if (part instanceof KeyTemplate.Argument) {
                KeyTemplate.Argument argument = (KeyTemplate.Argument) part;
                ArgumentText.append(key, at(arguments[argument.index()], argument.path()), codec, separators);
            } else if (part instanceof KeyTemplate.Result) {
                ArgumentText.append(key, at(result, ((KeyTemplate.Result) part).path()), codec, separators);
            } else {
                ArgumentText.appendDigest(key, arguments, codec);
            }
        }
        return key.toString();
    }

    private static Object at(Object root, List<String> path) {
        return path.isEmpty() ? root : PropertyReader.read(root, path);
    }
}
