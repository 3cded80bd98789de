package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.GrammarCorpusTask;
import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The grammar corpus: ids are {@code words()}' positions, and every sentence instantiates a template. */
class GrammarCorpusTest {

  @Test
  void vocabularyIdsAreTheWordsPositions() {
    GrammarCorpusTask task = new GrammarCorpusTask(10);
    Corpus c = TaskData.corpus(task, 1);
    assertEquals(task.words(), c.vocabulary().tokens());
    assertEquals(62, c.vocabulary().size(), "4 specials, 6 classes of 8, 10 function words");
    assertEquals(task.vocabulary(), c.vocabulary().size());
    assertEquals(SpecialTokens.FIRST_TEXT, c.vocabulary().id("cat"));
    assertEquals("the", c.vocabulary().token(4 + 48));
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofTokensById(List.of("cat", "dog")));
  }

  @Test
  void everySentenceFillsATemplateWithWordsOfTheSlotsClass() {
    GrammarCorpusTask task = new GrammarCorpusTask(3000);
    Corpus c = TaskData.corpus(task, 7);
    assertEquals(3000, c.sentences().size());
    List<Pattern> templates = new ArrayList<>();
    for (String t : GrammarCorpusTask.TEMPLATES) {
      String regex = Arrays.stream(t.split(" ")).map(w -> w.startsWith("<")
          ? "(" + String.join("|", GrammarCorpusTask.CLASSES.get(w.substring(1, w.length() - 1))) + ")" : w)
          .collect(Collectors.joining(" "));
      templates.add(Pattern.compile(regex));
    }
    int[] used = new int[templates.size()];
    Set<String> seen = new HashSet<>();
    for (int[] ids : c.sentences()) {
      assertTrue(ids.length <= task.sequenceLength());
      List<String> words = new ArrayList<>();
      for (int id : ids) {
        assertTrue(id >= SpecialTokens.FIRST_TEXT && id < task.vocabulary(), "id " + id);
        words.add(task.words().get(id));
      }
      seen.addAll(words);
      String sentence = String.join(" ", words);
      int matches = 0;
      for (int i = 0; i < templates.size(); i++) {
        if (templates.get(i).matcher(sentence).matches()) {
          used[i]++;
          matches++;
        }
      }
      assertEquals(1, matches, sentence);
    }
    for (int u : used) {
      assertEquals(500, u, 80, "templates drawn uniformly: " + Arrays.toString(used));
    }
    assertEquals(new HashSet<>(task.words().subList(SpecialTokens.FIRST_TEXT, task.vocabulary())), seen,
        "every word occurs");
    assertEquals(c.sentences().stream().mapToLong(s -> s.length).sum(), c.words());
  }

  @Test
  void theSeedFixesTheCorpus() {
    GrammarCorpusTask task = new GrammarCorpusTask(50);
    List<int[]> a = TaskData.corpus(task, 3).sentences();
    List<int[]> b = TaskData.corpus(task, 3).sentences();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(Arrays.toString(a.get(i)), Arrays.toString(b.get(i)));
    }
    assertNotEquals(a.stream().map(Arrays::toString).toList(), TaskData.corpus(task, 4).sentences().stream().map(Arrays::toString)
        .toList());
  }
}
