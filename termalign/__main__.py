import sys

from termalign.cli import main

sys.exit(main())
