"""The app's style sheets, icons, compiled translations and third-party notices, installed as the
package `monsisra_resources` (setup.py maps this folder to it), so that one resolver,
importlib.resources, finds them in an installed wheel, an editable install and the frozen app
alike (ui.theme.resources_dir). Data only: nothing to import from here."""
