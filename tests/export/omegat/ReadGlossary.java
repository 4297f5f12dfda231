// Reads a glossary with OmegaT's own readers and prints what OmegaT sees, one entry a line:
// source<TAB>target<TAB>comment (tabs and newlines inside a field written as \t and \n).
// Usage: java -cp OmegaT.jar:. ReadGlossary tbx|tsv FILE SOURCE_LANG TARGET_LANG
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.util.List;

import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;

public class ReadGlossary {
    public static void main(String[] args) throws Exception {
        File dir = java.nio.file.Files.createTempDirectory("omegat-project").toFile();
        ProjectProperties props = new ProjectProperties(dir);
        props.setSourceLanguage(args[2]);
        props.setTargetLanguage(args[3]);
        // The TBX reader asks the open project for its languages; a proxy answers just that.
        IProject project = (IProject) Proxy.newProxyInstance(
            IProject.class.getClassLoader(), new Class<?>[] {IProject.class},
            (proxy, method, margs) -> {
                if (method.getName().equals("getProjectProperties")) return props;
                if (method.getName().equals("isProjectLoaded")) return true;
                throw new UnsupportedOperationException(method.getName());
            });
        Core.setProject(project);
        File file = new File(args[1]);
        List<GlossaryEntry> entries = args[0].equals("tbx")
            ? GlossaryReaderTBX.read(file, false) : GlossaryReaderTSV.read(file, false);
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        for (GlossaryEntry e : entries) {
            out.println(esc(e.getSrcText()) + "\t" + esc(e.getLocText()) + "\t" + esc(e.getCommentText()));
        }
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
