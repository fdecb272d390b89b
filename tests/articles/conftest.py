import pytest


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    """Attachments and images the tests upload stay out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
