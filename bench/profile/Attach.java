import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM with the given options: {@code java Attach.java PID LIB OPTIONS}.
 * jcmd's JVMTI.agent_load cannot pass them, since its parser splits the option string at '='.
 */
public class Attach {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
