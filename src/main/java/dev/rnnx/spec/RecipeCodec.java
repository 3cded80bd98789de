package dev.rnnx.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads and writes recipes as YAML. Reading is strict: every field is type-checked, unknown fields
 * and fields given twice are refused, so is anything after the recipe, and every error is a
 * {@link RecipeException} naming the file and the field. {@code parse(write(r))} equals {@code r} for every valid recipe. The format is documented in
 * README.md; each layer kind's fields are its record's components in snake case.
 */
public final class RecipeCodec {

  private static final YAMLMapper YAML = StrictParsing.configure(YAMLMapper.builder(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build()))
      .build();

  private RecipeCodec() {}

  /** The layer kinds recipes may use. */
  public static List<String> layerKinds() {
    return LayerCodec.kinds();
  }

  /** The model kinds recipes may use. */
  public static List<String> modelKinds() {
    return ModelCodec.kinds();
  }

  /**
   * Reads a recipe file.
   *
   * @throws RecipeException when the file is missing, unreadable or invalid
   */
  public static Recipe read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new RecipeException(file.toString(), "", "file does not exist, expected a YAML recipe");
    } catch (IOException e) {
      throw new RecipeException(file.toString(), "", "cannot be read as UTF-8 text (" + e.getMessage() + ")");
    }
    return parse(text, file.toString(), file.toAbsolutePath().getParent());
  }

  /**
   * Parses recipe text.
   *
   * @param source names the origin in error messages
   */
  public static Recipe parse(String text, String source) {
    return parse(text, source, Path.of("").toAbsolutePath());
  }

  /**
   * Parses recipe text whose data files are relative to {@code baseDir} (the recipe's folder).
   *
   * @param source names the origin in error messages
   */
  public static Recipe parse(String text, String source, Path baseDir) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String duplicate = StrictParsing.duplicatePath(e);
      if (duplicate != null) {
        throw new RecipeException(source, duplicate, "appears twice (line " + e.getLocation().getLineNr()
            + "), expected each field once");
      }
      throw new RecipeException(source, "", "is not valid YAML: " + StrictParsing.problem(e));
    }
    RecipeNode top = new RecipeNode(source, "", root);
    try {
      Recipe recipe = new Recipe(
          top.string("name"),
          top.string("description", ""),
          top.longValue("seed"),
          readModel(top.child("model"), top.string("name")),
          readData(top.child("data"), baseDir),
          readTraining(top.child("training")),
          readExport(top.has("export") ? top.child("export") : null),
          readTolerances(top.has("tolerances") ? top.child("tolerances") : null));
      top.rejectUnknown();
      return recipe;
    } catch (RecipeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RecipeException(source, "", e.getMessage());
    }
  }

  private static ModelSpec readModel(RecipeNode n, String recipeName) {
    String defaultName = recipeName.replaceAll("[^A-Za-z0-9_\\-]", "_");
    return ModelCodec.read(n, defaultName.matches("[A-Za-z].*") ? defaultName : "m_" + defaultName);
  }

  private static DataSpec readData(RecipeNode n, Path baseDir) {
    String task = n.string("task");
    DataSpec spec = switch (task) {
      case ParallelTextTask.TASK -> checked(n, () -> new ParallelTextTask(
          file(baseDir, n, n.has("train") ? "train" : "train_source"), file(baseDir, n, n.has("train") ? "train" : "train_target"),
          file(baseDir, n, n.has("validation") ? "validation" : "validation_source"),
          file(baseDir, n, n.has("validation") ? "validation" : "validation_target"),
          tokenizer(n, "source_tokenizer"), tokenizer(n, "target_tokenizer"),
          n.bool("source_lowercase", false), n.bool("target_lowercase", false), n.integer("min_count", 1),
          n.integer("source_vocabulary"), n.integer("target_vocabulary"), n.integer("max_source_length"),
          n.integer("max_target_length"), n.parse("too_long", n.string("too_long", "drop"), RecipeCodec::truncate),
          n.parse("batching", n.string("batching", "shuffled"), RecipeCodec::bucketed)));
      case LabeledTextTask.TASK -> checked(n, () -> new LabeledTextTask(file(baseDir, n, "train"), file(baseDir, n, "validation"),
          n.strings("labels"), n.parse("tokenizer", n.string("tokenizer"), ParallelTextTask.Tokenizer::fromName),
          n.bool("lowercase", false), n.integer("min_count", 1), n.integer("vocabulary"), n.integer("max_length"),
          n.parse("too_long", n.string("too_long", "drop"), RecipeCodec::truncate),
          n.parse("batching", n.string("batching", "shuffled"), RecipeCodec::bucketed)));
      case TaggedTextTask.TASK -> checked(n, () -> new TaggedTextTask(file(baseDir, n, "train"), file(baseDir, n, "validation"),
          n.bool("lowercase", false), n.integer("min_count", 1), n.integer("vocabulary"), n.integer("tags"), n.integer("max_length"),
          n.parse("too_long", n.string("too_long", "drop"), RecipeCodec::truncate),
          n.parse("batching", n.string("batching", "shuffled"), RecipeCodec::bucketed)));
      case TextCorpusTask.TASK -> checked(n, () -> new TextCorpusTask(file(baseDir, n, "train"),
          n.parse("tokenizer", n.string("tokenizer"), ParallelTextTask.Tokenizer::fromName), n.bool("lowercase", false),
          n.integer("min_count", 1), n.integer("vocabulary"), n.number("subsample", 0.0), n.integer("max_length", 100),
          n.strings("queries")));
      case CsvSeriesTask.TASK -> checked(n, () -> new CsvSeriesTask(
          file(baseDir, n, "file"), n.string("time", ""), n.strings("features"),
          n.strings("targets"), n.integer("window"), n.integer("horizon", 1), n.integer("stride", 1),
          n.number("validation_fraction", 0.15), n.number("test_fraction", 0.15),
          n.parse("missing", n.string("missing", "refuse"), CsvSeriesTask.MissingValues::fromName), n.integer("season", 0)));
      case SineTask.TASK -> checked(n, () -> new SineTask(
          n.integer("window"), n.integer("samples"), n.number("period", 20.0), n.number("noise", 0.0),
          n.number("validation_fraction", 0.2)));
      case BinaryAdditionTask.TASK -> checked(n, () -> new BinaryAdditionTask(
          n.integer("bits", 8), n.integer("samples"), n.integer("held_out", 1000)));
      case ContextTaggingTask.TASK -> checked(n, () -> new ContextTaggingTask(
          n.integer("length"), n.integer("samples"), n.number("validation_fraction", 0.2)));
      case MajorityTokensTask.TASK -> checked(n, () -> new MajorityTokensTask(
          n.integer("vocabulary"), n.integer("classes"), n.integer("min_length"), n.integer("max_length"),
          n.integer("samples"), n.number("validation_fraction", 0.2)));
      case DatesTask.TASK -> checked(n, () -> new DatesTask(
          n.integer("samples"), n.number("long_share", 0.1), n.number("validation_fraction", 0.2)));
      case GrammarCorpusTask.TASK -> checked(n, () -> new GrammarCorpusTask(n.integer("sentences")));
      case ArraysTask.TASK -> checked(n, () -> ArraysTaskCodec.read(n, baseDir));
      case ImportedTask.TASK -> checked(n, () -> new ImportedTask(n.integer("length"), n.string("source", ""),
          n.string("sha256", ""), n.string("format", ""), n.string("framework", ""), n.string("framework_version", "")));
      default -> throw n.error("task", "unknown task '" + task + "', expected one of [" + String.join(", ", SineTask.TASK,
          BinaryAdditionTask.TASK, ContextTaggingTask.TASK, MajorityTokensTask.TASK, DatesTask.TASK, GrammarCorpusTask.TASK, ImportedTask.TASK, ArraysTask.TASK, CsvSeriesTask.TASK, ParallelTextTask.TASK, LabeledTextTask.TASK, TaggedTextTask.TASK, TextCorpusTask.TASK) + "]");
    };
    n.rejectUnknown();
    return spec;
  }

  /** A side's tokenizer: its own key, or the shared {@code tokenizer}. */
  private static ParallelTextTask.Tokenizer tokenizer(RecipeNode n, String sideKey) {
    String key = n.has(sideKey) ? sideKey : "tokenizer";
    return n.parse(key, n.string(key), ParallelTextTask.Tokenizer::fromName);
  }

  private static String file(Path baseDir, RecipeNode n, String key) {
    return baseDir.resolve(n.string(key)).normalize().toString();
  }

  private static boolean bucketed(String batching) {
    return switch (batching) {
      case "shuffled" -> false;
      case "bucketed" -> true;
      default -> throw new IllegalArgumentException("unknown batching '" + batching + "', expected one of [shuffled, bucketed]");
    };
  }

  private static boolean truncate(String policy) {
    return switch (policy) {
      case "drop" -> false;
      case "truncate" -> true;
      default -> throw new IllegalArgumentException("unknown policy '" + policy + "', expected one of [drop, truncate]");
    };
  }

  private static TrainingSpec readTraining(RecipeNode n) {
    Clipping clipping = n.has("clipping") ? readClipping(n.child("clipping")) : Clipping.NONE;
    List<String> metrics = n.strings("metrics");
    for (String m : metrics) {
      if (!m.equals("accuracy")) {
        throw n.error("metrics", "unknown metric '" + m + "', expected one of [accuracy]");
      }
    }
    TrainingSpec spec = checked(n, () -> new TrainingSpec(
        n.parse("loss", n.string("loss"), Loss::fromName),
        n.parse("optimizer", n.string("optimizer"), OptimizerKind::fromName),
        n.number("learning_rate"),
        n.integer("epochs"),
        n.integer("batch_size"),
        clipping,
        metrics.contains("accuracy")));
    n.rejectUnknown();
    return spec;
  }

  private static Clipping readClipping(RecipeNode n) {
    String by = n.string("by");
    Clipping c = switch (by) {
      case "value" -> checked(n, () -> Clipping.byValue(n.number("threshold")));
      case "global_norm" -> checked(n, () -> Clipping.byGlobalNorm(n.number("threshold")));
      case "none" -> Clipping.NONE;
      default -> throw n.error("by", "unknown clipping '" + by + "', expected one of [value, global_norm, none]");
    };
    n.rejectUnknown();
    return c;
  }

  private static ExportSpec readExport(RecipeNode n) {
    if (n == null) {
      return new ExportSpec(ExportSpec.DEFAULT_OPSET, 100);
    }
    ExportSpec spec = checked(n, () -> new ExportSpec(
        n.integer("opset", ExportSpec.DEFAULT_OPSET), n.integer("max_sequence_length", 100)));
    n.rejectUnknown();
    return spec;
  }

  private static Tolerances readTolerances(RecipeNode n) {
    if (n == null) {
      return Tolerances.DEFAULT;
    }
    Tolerances t = checked(n, () -> new Tolerances(n.number("atol", 1e-5), n.number("rtol", 1e-5)));
    n.rejectUnknown();
    return t;
  }

  /** Runs a record constructor, re-raising its validation error against this mapping. */
  static <T> T checked(RecipeNode n, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (RecipeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw n.error("", e.getMessage());
    }
  }

  /**
   * Writes a recipe as YAML text that {@link #parse} reads back to an equal recipe. Every mapping is
   * in declared order (never a hash order, which changes from one JVM to the next), so equal recipes
   * give equal text and identical runs record identical bytes.
   */
  public static String write(Recipe r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", r.name());
    root.put("description", r.description());
    root.put("seed", r.seed());
    root.put("model", ModelCodec.write(r.model()));
    root.put("data", writeData(r.data()));
    TrainingSpec t = r.training();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", t.loss().recipeName());
    training.put("optimizer", t.optimizer().recipeName());
    training.put("learning_rate", t.learningRate());
    training.put("epochs", t.epochs());
    training.put("batch_size", t.batchSize());
    if (t.clipping().kind() != Clipping.Kind.NONE) {
      Map<String, Object> clipping = new LinkedHashMap<>();
      clipping.put("by", t.clipping().kind().name().toLowerCase(java.util.Locale.ROOT));
      clipping.put("threshold", t.clipping().threshold());
      training.put("clipping", clipping);
    }
    if (t.accuracy()) {
      training.put("metrics", List.of("accuracy"));
    }
    root.put("training", training);
    Map<String, Object> export = new LinkedHashMap<>();
    export.put("opset", r.export().opset());
    export.put("max_sequence_length", r.export().maxSequenceLength());
    root.put("export", export);
    Map<String, Object> tol = new LinkedHashMap<>();
    tol.put("atol", r.tolerances().atol());
    tol.put("rtol", r.tolerances().rtol());
    root.put("tolerances", tol);
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise recipe " + r.name(), e);
    }
  }

  private static Map<String, Object> writeData(DataSpec data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", data.task());
    if (data instanceof SineTask s) {
      m.put("window", s.window());
      m.put("samples", s.samples());
      m.put("period", s.period());
      m.put("noise", s.noise());
      m.put("validation_fraction", s.validationFraction());
    } else if (data instanceof BinaryAdditionTask b) {
      m.put("bits", b.bits());
      m.put("samples", b.samples());
      m.put("held_out", b.heldOut());
    } else if (data instanceof ContextTaggingTask c) {
      m.put("length", c.length());
      m.put("samples", c.samples());
      m.put("validation_fraction", c.validationFraction());
    } else if (data instanceof DatesTask d) {
      m.put("samples", d.samples());
      m.put("long_share", d.longShare());
      m.put("validation_fraction", d.validationFraction());
    } else if (data instanceof GrammarCorpusTask g) {
      m.put("sentences", g.sentences());
    } else if (data instanceof ArraysTask a) {
      ArraysTaskCodec.write(a, m);
    } else if (data instanceof ImportedTask i) {
      m.put("length", i.length());
      m.put("source", i.source());
      m.put("sha256", i.sha256());
      m.put("format", i.format());
      m.put("framework", i.framework());
      m.put("framework_version", i.frameworkVersion());
    } else if (data instanceof LabeledTextTask l) {
      m.put("train", l.train());
      m.put("validation", l.validation());
      m.put("labels", l.labels());
      m.put("tokenizer", l.tokenizer().recipeName());
      m.put("lowercase", l.lowercase());
      m.put("min_count", l.minCount());
      m.put("vocabulary", l.vocabulary());
      m.put("max_length", l.maxLength());
      m.put("too_long", l.truncate() ? "truncate" : "drop");
      m.put("batching", l.bucketed() ? "bucketed" : "shuffled");
    } else if (data instanceof TaggedTextTask g) {
      m.put("train", g.train());
      m.put("validation", g.validation());
      m.put("lowercase", g.lowercase());
      m.put("min_count", g.minCount());
      m.put("vocabulary", g.vocabulary());
      m.put("tags", g.tags());
      m.put("max_length", g.maxLength());
      m.put("too_long", g.truncate() ? "truncate" : "drop");
      m.put("batching", g.bucketed() ? "bucketed" : "shuffled");
    } else if (data instanceof TextCorpusTask c) {
      m.put("train", c.train());
      m.put("tokenizer", c.tokenizer().recipeName());
      m.put("lowercase", c.lowercase());
      m.put("min_count", c.minCount());
      m.put("vocabulary", c.vocabulary());
      m.put("subsample", c.subsample());
      m.put("max_length", c.maxLength());
      m.put("queries", c.queries());
    } else if (data instanceof ParallelTextTask p) {
      if (p.tsv()) {
        m.put("train", p.trainSource());
        m.put("validation", p.validationSource());
      } else {
        m.put("train_source", p.trainSource());
        m.put("train_target", p.trainTarget());
        m.put("validation_source", p.validationSource());
        m.put("validation_target", p.validationTarget());
      }
      m.put("source_tokenizer", p.sourceTokenizer().recipeName());
      m.put("target_tokenizer", p.targetTokenizer().recipeName());
      m.put("source_lowercase", p.sourceLowercase());
      m.put("target_lowercase", p.targetLowercase());
      m.put("min_count", p.minCount());
      m.put("source_vocabulary", p.sourceVocabulary());
      m.put("target_vocabulary", p.targetVocabulary());
      m.put("max_source_length", p.maxSourceLength());
      m.put("max_target_length", p.maxTargetLength());
      m.put("too_long", p.truncate() ? "truncate" : "drop");
      m.put("batching", p.bucketed() ? "bucketed" : "shuffled");
    } else if (data instanceof CsvSeriesTask c) {
      m.put("file", c.file());
      m.put("time", c.time());
      m.put("features", c.features());
      m.put("targets", c.targets());
      m.put("window", c.window());
      m.put("horizon", c.horizon());
      m.put("stride", c.stride());
      m.put("validation_fraction", c.validationFraction());
      m.put("test_fraction", c.testFraction());
      m.put("missing", c.missing().recipeName());
      m.put("season", c.season());
    } else if (data instanceof MajorityTokensTask t) {
      m.put("vocabulary", t.vocabulary());
      m.put("classes", t.classes());
      m.put("min_length", t.minLength());
      m.put("max_length", t.maxLength());
      m.put("samples", t.samples());
      m.put("validation_fraction", t.validationFraction());
    }
    return m;
  }
}
