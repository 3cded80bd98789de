import com.atilika.kuromoji.ipadic.Token;
import com.atilika.kuromoji.ipadic.Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the silver-standard part-of-speech corpus in this folder from the Japanese side of
 * ../tanaka-enja: each sentence's KyTea tokens joined back into raw text, analysed by kuromoji
 * (IPADIC), one morpheme and its coarse part of speech (IPADIC level 1: 名詞, 助詞, 動詞, ...) per
 * line, a blank line between sentences. Run from the repository root:
 * {@code java -cp "$(cat target/classpath.txt)" models/data/tanaka-pos/MakeTaggedCorpus.java IN N OUT}.
 */
public class MakeTaggedCorpus {
  public static void main(String[] args) throws Exception {
    Tokenizer tokenizer = new Tokenizer();
    int limit = Integer.parseInt(args[1]);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(Path.of(args[0]))),
            StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(Path.of(args[2]))),
            StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = in.readLine(); line != null && n < limit; line = in.readLine(), n++) {
        for (Token t : tokenizer.tokenize(line.replace(" ", ""))) {
          if (!t.getSurface().isBlank()) {
            out.print(t.getSurface() + "\t" + t.getPartOfSpeechLevel1() + "\n");
          }
        }
        out.print("\n");
      }
    }
  }
}
