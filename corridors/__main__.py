from corridors.cli import main

main()
