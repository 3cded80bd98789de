package dev.rnnx.tf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rnnx.verify.SavedModelSignature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;

/**
 * Reads the input and output keys of one SavedModel signature (tag {@code serve}) from
 * {@code saved_model.pb} with TensorFlow's protobuf classes in pure Java: a folder that is not a
 * SavedModel, or lacks the signature, is refused before TensorFlow starts.
 */
public final class SavedModelSignatures {

  private SavedModelSignatures() {}


  /**
   * @throws IllegalArgumentException naming the folder and what is missing (listing the signatures it has)
   */
  public static SavedModelSignature read(Path dir, String signature) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("SavedModel folder " + dir + " does not exist or is not a folder");
    }
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new IllegalArgumentException("folder " + dir + " is not a SavedModel: expected a file saved_model.pb in it");
    }
    SavedModel sm;
    try (InputStream in = Files.newInputStream(pb)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      sm = SavedModel.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(pb + " is not a SavedModel protobuf or is truncated (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(pb + " cannot be read (" + e.getMessage() + ")");
    }
    MetaGraphDef serve = sm.getMetaGraphsList().stream().filter(m -> m.getMetaInfoDef().getTagsList().contains("serve"))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("SavedModel " + dir + " has no meta-graph tagged 'serve'"));
    SignatureDef s = serve.getSignatureDefMap().get(signature);
    if (s == null) {
      throw new IllegalArgumentException("SavedModel " + dir + " has no '" + signature + "' signature under tag 'serve';"
          + " its signatures are " + new TreeMap<>(serve.getSignatureDefMap()).keySet());
    }
    return new SavedModelSignature(List.copyOf(new TreeMap<>(s.getInputsMap()).keySet()),
        List.copyOf(new TreeMap<>(s.getOutputsMap()).keySet()));
  }
}
