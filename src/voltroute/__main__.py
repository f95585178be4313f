"""python -m voltroute"""

from voltroute.cli import main

main()
