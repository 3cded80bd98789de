package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeBudget;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.TaggedTextTask;
import dev.rnnx.spec.TextCorpusTask;
import dev.rnnx.spec.Word2Vec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped text recipes read their shipped data, and their vocabularies fill the models exactly. */
class ShippedTextRecipesTest {

  @Test
  void theTanakaWord2vecVocabularyFillsTheModelAndHoldsEveryQuery() {
    Recipe r = RecipeCodec.read(Path.of("models/tanaka/word2vec-ja.yaml"));
    RecipeBudget.check(r, "word2vec-ja.yaml");
    TextCorpus corpus = TextCorpus.read((TextCorpusTask) r.data(), r.seed());
    assertEquals(((Word2Vec) r.model()).vocabulary(), corpus.corpus().vocabulary().size(), "no unused ids");
    Map<?, ?> training = (Map<?, ?>) corpus.statistics().get("training");
    assertEquals(50_000, training.get("lines_read"));
    assertEquals(555_778L, training.get("words_before_subsampling"));
    assertEquals(247_987L, training.get("words_after_subsampling"), "the card's figure, from seed 11");
  }

  @Test
  void theTanakaPosTaggerReadsTwelveTagsAndFillsItsVocabulary() {
    Recipe r = RecipeCodec.read(Path.of("models/tanaka/pos-tagger.yaml"));
    RecipeBudget.check(r, "pos-tagger.yaml");
    TaggedText text = TaggedText.read((TaggedTextTask) r.data());
    assertEquals(List.of("名詞", "助詞", "動詞", "助動詞", "記号", "副詞", "形容詞", "連体詞", "接頭詞", "接続詞", "感動詞", "フィラー"), text.tags());
    assertEquals(1817, text.vocabulary().size());
    assertEquals(5000, text.split().train().size());
    assertEquals(500, text.split().validation().size());
  }
}
