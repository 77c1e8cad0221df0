"""The public booking surface: pages (``pages``), the JSON API (``api``), the guest's manage
links (``manage``), and what they share (``shared``). ``bots.web.app`` mounts the routers."""
